import { ownPackage } from '../own-package.js';
import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import type { Transport } from '@modelcontextprotocol/sdk/shared/transport.js';
import { withDeadline } from './deadline.js';
import { describeFailure } from './failure.js';
import { retryRefusals } from './retry.js';
import { childTransport, startServerProcess, stopProcess } from './server-process.js';
import type { HttpTarget, ResolvedTarget, Target } from './target.js';

/** A result object exactly as the server sent it: the SDK's typed parsers would add defaults. */
export type RawResult = Record<string, unknown> & { _meta?: Record<string, unknown> };

/** A connected client with the target's deadline applied to every request, and failures turned into exit codes. */
export interface Session {
  readonly client: Client;
  readonly timeoutMs: number;
  /**
   * Sends one request (again after a refusal for capacity, as often as --retry says) and resolves to its raw
   * result; errors are thrown as they came (see `fail`).
   */
  request(method: string, params?: Record<string, unknown>, timeoutMs?: number): Promise<RawResult>;
  /** Turns any error from this session into a UserError with the right exit code and a readable line. */
  fail(error: unknown): Error;
  close(): Promise<void>;
}


/**
 * Connects to the target. A stdio server is spawned first, before the SDK is loaded, so its start-up overlaps
 * with ours; the SDK's stdio transport would only spawn it once connect() runs.
 */
export async function openSession({ target, timeoutMs, retries }: ResolvedTarget, options: { verbose?: boolean } = {}): Promise<Session> {
  const server = target.kind === 'stdio' ? startServerProcess(target, { verbose: options.verbose ?? false }) : undefined;
  const fail = (error: unknown): Error => describeFailure(error, target, server);
  const [{ Client }, { ResultSchema }] = await Promise.all([import('@modelcontextprotocol/sdk/client/index.js'), import('@modelcontextprotocol/sdk/types.js')]);
  const connect = async (transport: Transport): Promise<Client> => {
    const client = new Client({ name: 'mcpctl', version: ownPackage.version });
    // A failed connect closes the transport (and with it a child process) on its own.
    await withDeadline(timeoutMs, 'initialize', (deadline) => client.connect(transport, deadline));
    return client;
  };
  let client: Client;
  try {
    // A full session pool refuses a new HTTP session with 503; a stdio server is one process, connected once.
    client = server ? await connect(await childTransport(server)) : await retryRefusals(retries, () => connectHttp(target as HttpTarget, connect));
  } catch (error) {
    if (server) await stopProcess(server);
    throw fail(error);
  }
  return {
    client,
    timeoutMs,
    fail,
    request: (method, params, ms = timeoutMs) =>
      retryRefusals(retries, () => withDeadline(ms, method, (deadline) => client.request({ method, params } as never, ResultSchema, deadline))) as Promise<RawResult>,
    close: () => closeClient(client, target),
  };
}

/** Streamable HTTP first; a server that only speaks the legacy HTTP+SSE transport answers 4xx, and gets SSE. */
async function connectHttp(target: HttpTarget, connect: (transport: Transport) => Promise<Client>): Promise<Client> {
  const requestInit = { headers: target.headers };
  const { StreamableHTTPClientTransport, StreamableHTTPError } = await import('@modelcontextprotocol/sdk/client/streamableHttp.js');
  try {
    return await connect(new StreamableHTTPClientTransport(target.url, { requestInit }));
  } catch (error) {
    const legacy = error instanceof StreamableHTTPError && [400, 404, 405].includes(error.code ?? 0);
    if (!legacy) throw error;
  }
  const { SSEClientTransport } = await import('@modelcontextprotocol/sdk/client/sse.js');
  return connect(new SSEClientTransport(target.url, { requestInit }));
}

async function closeClient(client: Client, target: Target): Promise<void> {
  const transport = client.transport as (Transport & { terminateSession?: () => Promise<void> }) | undefined;
  // Ending the HTTP session frees it on the server now rather than when it expires.
  if (target.kind === 'http') await withDeadline(1000, 'session end', () => transport?.terminateSession?.() ?? Promise.resolve()).catch(() => {});
  await client.close();
}
