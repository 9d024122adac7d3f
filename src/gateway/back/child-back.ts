import type { ResultPromise } from 'execa';

type Child = ResultPromise<{ stdin: 'pipe'; stdout: 'pipe'; stderr: 'pipe'; buffer: false; reject: false; cleanup: false; extendEnv: false }>;
/** Boxed: a subprocess is a thenable, so returning it from an async function would wait for it to exit. */
type SpawnChild = () => Promise<{ child: Child }>;
import { UserError } from '../../errors.js';
import type { Logger } from '../../log.js';
import { describeExit } from '../../process-exit.js';
import { encodeMessage } from '../bounds.js';
import { ErrorCode, checkMessage, errorInPlaceOf, errorResponse, idInMessageEnds, isRequest, isResponse } from '../jsonrpc.js';
import type { JSONRPCMessage, JSONRPCNotification, JSONRPCRequest } from '../types.js';
import { childEnvironment, type ChildEnvOptions } from './child-env.js';
import { onLines } from './line-reader.js';
import type { Back, BackConnection } from './types.js';

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

/** Longest stderr line passed on whole; the rest of a longer one is cut. */
const maxStderrLine = 16 * 1024;

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
  // Not execa's `cleanup`: its signal-exit hook re-raises SIGTERM past our own handler and cuts the grace period.
  process.once('exit', () => {
    for (const connection of connections) connection.kill();
  });
  const spawnChild: SpawnChild = async () => {
    const { execa } = await import('execa');
    return { child: execa(file, args, { env, extendEnv: false, stdin: 'pipe', stdout: 'pipe', stderr: 'pipe', buffer: false, reject: false, cleanup: false }) };
  };
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
  const { child } = await spawnChild();
  const stderrTail: string[] = [];
  onLines(child.stderr, maxStderrLine, {
    onLine(line) {
      stderrTail.push(line);
      if (stderrTail.length > 5) stderrTail.shift();
    },
  });
  try {
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new UserError(`${commandLine} did not answer initialize within ${timeoutMs / 1000}s`, { exitCode: 4 })), timeoutMs);
      onLines(child.stdout, maxMessageBytes, {
        onLine(line) {
          if (line.includes('"mcpctl-probe"')) {
            clearTimeout(timer);
            resolve();
          }
        },
      });
      child.then((result) => {
        clearTimeout(timer);
        const failure = result as { code?: string; exitCode?: number; signal?: string };
        if (failure.code === 'ENOENT') reject(new UserError(`command not found: ${commandLine.split(' ')[0]}`, { exitCode: 4, hint: 'check the command after -- and your PATH' }));
        else {
          const how = describeExit({ code: failure.exitCode, signal: failure.signal });
          const last = stderrTail.at(-1);
          reject(new UserError(`${commandLine} ${how} before answering initialize${last ? `: ${last}` : ''}`, { exitCode: 4 }));
        }
      });
      child.stdin.write(`${JSON.stringify(probeRequest)}\n`);
    });
  } finally {
    child.kill();
  }
}

/** One session's child process, restarted (and re-initialized on the client's behalf) when it dies. */
class ChildConnection implements BackConnection {
  onmessage: BackConnection['onmessage'];
  onreset: BackConnection['onreset'];
  private child: Child | undefined;
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
    const { child } = await this.spawnChild();
    this.child = child;
    onLines(child.stdout, this.maxMessageBytes, { onLine: (line) => this.fromChild(line), onOversized: (size, head, tail) => this.oversized(size, head, tail) });
    onLines(child.stderr, maxStderrLine, { onLine: (line) => this.passStderr(line), onOversized: (size, head) => this.passStderr(`${head}…[${size} bytes, cut]`) });
    child.stdin.on('error', () => {}); // EPIPE when the child dies mid-write: the exit handler reports it.
    child.then((result) => this.onExit(child, result as { code?: string; exitCode?: number; signal?: string }));
  }

  send(message: JSONRPCMessage): void {
    if (isRequest(message) && message.method === 'initialize') this.initialize = message;
    else if (!isRequest(message) && !isResponse(message) && message.method === 'notifications/initialized') this.initialized = message;
    const child = this.child;
    if (child === undefined || child.exitCode !== null || this.closed) {
      if (isRequest(message)) this.onmessage?.(errorResponse(message.id, ErrorCode.backUnavailable, `${this.name} is not running (restarting)`), undefined);
      return;
    }
    const line = encodeMessage(message);
    if (line !== undefined) child.stdin.write(`${line}\n`);
    else if (isRequest(message)) this.onmessage?.(errorResponse(message.id, ErrorCode.internalError, 'the request cannot be serialized as JSON'), undefined);
  }

  /** The child's own stderr, prefixed with its name; under --log json, as log lines so every line stays JSON. */
  private passStderr(line: string): void {
    if (this.logger.format === 'json') this.logger.info(line, { source: this.name });
    else process.stderr.write(`[${this.name}] ${line}\n`);
  }

  /** Last resort on process exit: no waiting, just the signal. */
  kill(): void {
    this.child?.kill('SIGKILL');
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    const child = this.child;
    if (!child || child.exitCode !== null) return;
    child.stdin.end();
    child.kill('SIGTERM');
    await child.catch(() => undefined);
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
      if (this.initialized) this.child?.stdin.write(`${JSON.stringify(this.initialized)}\n`);
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

  private onExit(child: Child, result: { code?: string; exitCode?: number; signal?: string }): void {
    if (this.closed || child !== this.child) return;
    const how = result.code === 'ENOENT' ? 'could not be started' : describeExit({ code: result.exitCode, signal: result.signal });
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
      this.child!.stdin.write(`${JSON.stringify({ ...this.initialize, id: this.replayId })}\n`);
    }
  }
}
