import { UserError } from '../../errors.js';
import type { Logger } from '../../log.js';
import { describeExit, describeSpawnError } from '../../process-exit.js';
import { spawnStdioServer, type ExitInfo, type StdioServer } from '../../shared/stdio-server.js';
import { encodeMessage } from '../bounds.js';
import { ErrorCode, checkMessage, errorInPlaceOf, errorResponse, idInMessageEnds, isRequest, isResponse } from '../jsonrpc.js';
import type { JSONRPCMessage, JSONRPCNotification, JSONRPCRequest } from '../types.js';
import { childEnvironment, type ChildEnvOptions } from './child-env.js';
import type { Back, BackConnection } from './types.js';

/** Starts one child; its stderr lines go to `onStderrLine` when given (the probe keeps only their tail). */
type SpawnChild = (onStderrLine?: (line: string) => void) => StdioServer;

export interface ChildBackOptions extends ChildEnvOptions {
  command: readonly string[];
  logger: Logger;
  /** The gateway's environment; the child gets it less mcpctl's own secrets (see childEnvironment). */
  env?: NodeJS.ProcessEnv;
  /** How long the start-up probe waits for the child's initialize answer. */
  probeTimeoutMs?: number;
  /** Restarts in a row without a successful answer before the connection gives up. */
  maxRestarts?: number;
  /** Longest line the child may write on stdout; a longer one is skipped and its request answered with an error. */
  maxMessageBytes: number;
}

/** How long a child has to exit after SIGTERM before SIGKILL (execa's default, which this back used to run on). */
const stopGraceMs = 5000;

const restartDelaysMs = [100, 250, 500, 1000, 2000, 5000];

/**
 * Serves any MCP server executable: one child process per session (its state, subscriptions and sampling
 * requests belong to one client), spoken to over stdio and restarted with backoff when it dies.
 */
export function createChildBack(options: ChildBackOptions): Back {
  const [file, ...args] = options.command;
  if (file === undefined) throw new UserError('no server command given');
  const env = childEnvironment(options.env ?? process.env, options);
  const name = file.split('/').pop() ?? file;
  const connections = new Set<ChildConnection>();
  // On our own exit only, not on a signal: SIGTERM is serve's to handle, and calls in flight finish first.
  process.once('exit', () => {
    for (const connection of connections) connection.kill();
  });
  const spawnChild: SpawnChild = (onStderrLine) => spawnStdioServer({ command: file, args, env, onStderrLine });
  return {
    // A process per session is not: fewer by default. Stateless requests share one child.
    capabilities: { defaultMaxSessions: 32, sharedConnection: true },
    description: `command ${options.command.join(' ')}`,
    probe: () => probe(spawnChild, options.command.join(' '), options.probeTimeoutMs ?? 30_000, options.maxMessageBytes),
    async connect() {
      const connection = new ChildConnection(spawnChild, name, options.logger, options.maxRestarts ?? restartDelaysMs.length, options.maxMessageBytes);
      connections.add(connection);
      const close = connection.close.bind(connection);
      connection.close = async () => {
        connections.delete(connection);
        await close();
      };
      await connection.start();
      return connection;
    },
    async close() {
      await Promise.all([...connections].map((connection) => connection.close()));
    },
  };
}

const probeRequest: JSONRPCRequest = {
  jsonrpc: '2.0',
  id: 'mcpctl-probe',
  method: 'initialize',
  params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 'mcpctl-probe', version: '1' } },
};

/** Starts the command once and asks it to initialize, so a server that cannot run fails `serve` at once. */
async function probe(spawnChild: SpawnChild, commandLine: string, timeoutMs: number, maxMessageBytes: number): Promise<void> {
  const child = spawnChild();
  try {
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new UserError(`${commandLine} did not answer initialize within ${timeoutMs / 1000}s`, { exitCode: 4 })), timeoutMs);
      child.readLines(maxMessageBytes, {
        onLine(line) {
          if (line.includes('"mcpctl-probe"')) {
            clearTimeout(timer);
            resolve();
          }
        },
      });
      void child.exited.then((exit) => {
        clearTimeout(timer);
        if (exit.spawnError) {
          const hint = exit.spawnError.code === 'ENOENT' ? 'check the command after -- and your PATH' : undefined;
          reject(new UserError(`${describeSpawnError(exit.spawnError)}: ${commandLine.split(' ')[0]}`, { exitCode: 4, hint }));
        } else {
          const last = child.stderrTail().at(-1);
          reject(new UserError(`${commandLine} ${describeExit(exit)} before answering initialize${last ? `: ${last}` : ''}`, { exitCode: 4 }));
        }
      });
      child.write(`${JSON.stringify(probeRequest)}\n`);
    });
  } finally {
    void child.stop({ killAfterMs: stopGraceMs });
  }
}

/** One session's child process, restarted (and re-initialized on the client's behalf) when it dies. */
class ChildConnection implements BackConnection {
  onmessage: BackConnection['onmessage'];
  onreset: BackConnection['onreset'];
  private child: StdioServer | undefined;
  private closed = false;
  private restarts = 0;
  private initialize: JSONRPCRequest | undefined;
  private initialized: JSONRPCNotification | undefined;
  /** Id of the initialize we replay after a restart: its answer is ours, not the client's. */
  private replayId: string | undefined;

  constructor(
    private readonly spawnChild: SpawnChild,
    private readonly name: string,
    private readonly logger: Logger,
    private readonly maxRestarts: number,
    private readonly maxMessageBytes: number,
  ) {}

  async start(): Promise<void> {
    const child = this.spawnChild((line) => this.passStderr(line));
    this.child = child;
    child.readLines(this.maxMessageBytes, { onLine: (line) => this.fromChild(line), onOversized: (size, head, tail) => this.oversized(size, head, tail) });
    void child.exited.then((exit) => this.onExit(child, exit));
  }

  send(message: JSONRPCMessage): void {
    if (isRequest(message) && message.method === 'initialize') this.initialize = message;
    else if (!isRequest(message) && !isResponse(message) && message.method === 'notifications/initialized') this.initialized = message;
    const child = this.child;
    if (child === undefined || !child.running() || this.closed) {
      if (isRequest(message)) this.onmessage?.(errorResponse(message.id, ErrorCode.backUnavailable, `${this.name} is not running (restarting)`), undefined);
      return;
    }
    const line = encodeMessage(message);
    if (line !== undefined) child.write(`${line}\n`);
    else if (isRequest(message)) this.onmessage?.(errorResponse(message.id, ErrorCode.internalError, 'the request cannot be serialized as JSON'), undefined);
  }

  /** The child's own stderr, prefixed with its name; under --log json, as log lines so every line stays JSON. */
  private passStderr(line: string): void {
    if (this.logger.format === 'json') this.logger.info(line, { source: this.name });
    else process.stderr.write(`[${this.name}] ${line}\n`);
  }

  /** Last resort on process exit: no waiting, just the signal. */
  kill(): void {
    this.child?.kill();
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.child?.stop({ killAfterMs: stopGraceMs });
  }

  private fromChild(line: string): void {
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch {
      this.logger.warn(`${this.name} wrote a line that is not JSON to stdout (servers must log to stderr)`, { line: line.slice(0, 200) });
      return;
    }
    const problem = checkMessage(value);
    if (problem !== undefined) {
      this.logger.warn(`${this.name} wrote a message that is not JSON-RPC to stdout: ${problem}`, { line: line.slice(0, 200) });
      // An answer the client cannot be given: its request gets an error now rather than at its deadline.
      const answer = errorInPlaceOf(value, problem, 'server');
      if (answer) this.onmessage?.(answer, undefined);
      return;
    }
    const message = value as JSONRPCMessage;
    if (isResponse(message) && this.replayId !== undefined && message.id === this.replayId) {
      this.replayId = undefined;
      if (this.initialized) this.child?.write(`${JSON.stringify(this.initialized)}\n`);
      return;
    }
    if (isResponse(message)) this.restarts = 0;
    this.onmessage?.(message, undefined);
  }

  /** A line over --max-message, skipped as it streamed past: the request it answered, if it names one, fails now. */
  private oversized(size: number, head: string, tail: string): void {
    const id = idInMessageEnds(head, tail);
    this.logger.warn(`${this.name} wrote a ${size}-byte line to stdout, over the ${this.maxMessageBytes}-byte limit (--max-message): skipped`, { id });
    if (id !== undefined) this.onmessage?.(errorResponse(id, ErrorCode.internalError, `the server's answer is ${size} bytes, over the gateway's ${this.maxMessageBytes}-byte limit (--max-message)`), undefined);
  }

  private onExit(child: StdioServer, exit: ExitInfo): void {
    if (this.closed || child !== this.child) return;
    const how = exit.spawnError ? 'could not be started' : describeExit(exit);
    const final = this.restarts >= this.maxRestarts;
    this.logger.warn(`${this.name} ${how}${final ? '; giving up' : '; restarting'}`);
    this.onreset?.(`the server process ${how}`, final);
    if (final) {
      this.closed = true;
      return;
    }
    const delay = restartDelaysMs[Math.min(this.restarts, restartDelaysMs.length - 1)]!;
    this.restarts++;
    setTimeout(() => void this.restart(), delay).unref();
  }

  private async restart(): Promise<void> {
    if (this.closed) return;
    await this.start();
    if (this.initialize) {
      this.replayId = `mcpctl-reinit-${this.restarts}`;
      this.child!.write(`${JSON.stringify({ ...this.initialize, id: this.replayId })}\n`);
    }
  }
}
