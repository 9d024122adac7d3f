import { ExitCode, UserError } from '../errors.js';
import { describeExit, describeSpawnError } from '../process-exit.js';
import { ErrorCode } from '../gateway/jsonrpc.js';
import { DeadlineError } from './deadline.js';
import { refusalOf, type Refusal } from './refusal.js';
import { retryWaitMs } from './retry.js';
import { httpStatusOf, rpcErrorOf } from './server-error.js';
import type { ServerProcess } from './server-process.js';
import { firstLine } from './table.js';
import type { Target } from './target.js';

const raiseTimeout = 'raise --timeout if the server is just slow';
const unreachableCodes = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH', 'ECONNRESET', 'ETIMEDOUT', 'UND_ERR_CONNECT_TIMEOUT', 'UND_ERR_SOCKET']);
const sdkConnectionClosed = -32000;
const sdkRequestTimeout = -32001;

/**
 * Says what went wrong talking to a server, as one line with the exit code the README promises: 3 credentials
 * refused, 4 unreachable or not started, 5 timeout or protocol error, 6 refused for capacity, 1 an error answer,
 * 2 bad input.
 */
export function describeFailure(error: unknown, target: Target, server: ServerProcess | undefined): Error {
  if (error instanceof UserError) return error;
  const where = target.kind === 'http' ? target.url.href : `"${[target.command, ...target.args].join(' ')}"`;
  if (error instanceof DeadlineError) {
    return new UserError(`${where} did not answer ${error.waitingFor} within ${formatMs(error.ms)}`, { exitCode: ExitCode.timeout, hint: raiseTimeout });
  }
  const exit = server?.exitInfo();
  if (exit) return exitFailure(where, exit, server!.stderrTail().join('\n'), error);

  const refusal = refusalOf(error);
  if (refusal) return refusalFailure(where, refusal, error);
  const status = httpStatusOf(error);
  if (status === 404) return new UserError(`no MCP endpoint at ${where} (HTTP 404)`, { exitCode: ExitCode.unreachable, hint: 'check the path, e.g. http://127.0.0.1:8080/mcp', cause: error });
  const network = networkCodeOf(error);
  if (network) return new UserError(`cannot reach ${where}: ${network}`, { exitCode: ExitCode.unreachable, hint: 'is the server running, and is the URL right?', cause: error });
  if (status !== undefined) return new UserError(`${where} answered HTTP ${status}`, { exitCode: ExitCode.timeout, cause: error });

  const rpc = rpcErrorOf(error);
  if (rpc) {
    if (rpc.code === sdkConnectionClosed) return new UserError(`${where} closed the connection`, { exitCode: ExitCode.unreachable, cause: error });
    if (rpc.code === sdkRequestTimeout) return new UserError(`${where} timed out: ${rpc.message}`, { exitCode: ExitCode.timeout, hint: raiseTimeout, cause: error });
    const exitCode = rpc.code === ErrorCode.invalidParams ? ExitCode.usage : ExitCode.failure;
    return new UserError(`${where} answered with error ${rpc.code}: ${rpc.message}`, { exitCode, cause: error });
  }
  if (error instanceof Error && (error.name === 'ZodError' || error.name === 'SyntaxError')) {
    return new UserError(`${where} broke the protocol: ${firstLine(error.message).slice(0, 200)}`, { exitCode: ExitCode.timeout, cause: error });
  }
  return error instanceof Error ? error : new Error(String(error));
}

function exitFailure(where: string, exit: NonNullable<ReturnType<ServerProcess['exitInfo']>>, stderr: string, cause: unknown): UserError {
  const tail = stderr.trim().split('\n').slice(-5).join('\n') || undefined;
  if (exit.spawnError) {
    return new UserError(`cannot start ${where}: ${describeSpawnError(exit.spawnError)}`, { exitCode: ExitCode.unreachable, cause });
  }
  const how = describeExit(exit);
  const hint = tail && `its last words:\n${tail}`;
  // `mcpctl serve` over stdio checks MCPCTL_TOKEN at start and exits 3 when it refuses it.
  if (exit.code === ExitCode.auth && stderr.includes('MCPCTL_TOKEN')) return new UserError(`the server ${where} refused the credentials (it ${how})`, { exitCode: ExitCode.auth, hint, cause });
  return new UserError(`the server ${where} ${how}`, { exitCode: ExitCode.unreachable, hint, cause });
}

/** A refusal in the server's words: exit 3 for the credentials, 6 for capacity, with what to do about it. */
function refusalFailure(where: string, refusal: Refusal, cause: unknown): UserError {
  const words = refusal.message === undefined ? '' : `: ${refusal.message}`;
  if (refusal.kind === 'auth') {
    const hint =
      refusal.status === 403 || refusal.scope !== undefined
        ? `the token lacks a scope this needs: mint one that has it (--as <sub> --scope "${refusal.scope ?? 'tools:call'}")`
        : 'pass a valid token: --token <token>, or --as <sub> --scope "<scopes>" with the dev key (mcpctl keys init)';
    return new UserError(`${where} refused the credentials (${refusal.how})${words}`, { exitCode: ExitCode.auth, hint, cause });
  }
  const why = refusal.kind === 'rate-limited' ? 'over a rate limit' : 'overloaded';
  const wait = retryWaitMs(refusal);
  const when = refusal.retryAfterMs === undefined ? 'retry later' : `retry after ${refusal.retryAfterMs / 1000}s`;
  const hint = wait === undefined ? when : `${when}; --retry <n> waits and retries on its own`;
  return new UserError(`${where} refused the request, ${why} (${refusal.how})${words}`, { exitCode: ExitCode.capacity, hint, cause });
}

/** Why fetch could not reach the server (connection refused, DNS, TLS…), or undefined when it did. */
function networkCodeOf(error: unknown): string | undefined {
  for (let current: unknown = error, depth = 0; current instanceof Error && depth < 5; current = current.cause, depth++) {
    const code = (current as NodeJS.ErrnoException).code ?? (current as { errors?: NodeJS.ErrnoException[] }).errors?.[0]?.code;
    if (code && unreachableCodes.has(code)) return code === 'ECONNREFUSED' ? 'connection refused' : code;
  }
  if (error instanceof TypeError && error.message === 'fetch failed') return error.cause instanceof Error ? error.cause.message : 'fetch failed';
  return undefined;
}

function formatMs(ms: number): string {
  return ms >= 1000 && ms % 1000 === 0 ? `${ms / 1000}s` : `${ms} ms`;
}
