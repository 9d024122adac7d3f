import type { ResultPromise } from 'execa';

type Child = ResultPromise<{ stdin: 'pipe'; stdout: 'pipe'; stderr: 'pipe'; buffer: false; reject: false; cleanup: false; extendEnv: false }>;
/** Boxed: a subprocess is a thenable, so returning it from an async function would wait for it to exit. */
type SpawnChild = () => Promise<{ child: Child }>;
import { UserError } from '../../errors.js';
import type { Logger } from '../../log.js';
import { describeExit } from '../../process-exit.js';
import { ErrorCode, errorResponse, isRequest, isResponse } from '../jsonrpc.js';
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
}

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
    kind: 'command',
    description: `command ${options.command.join(' ')}`,
    probe: () => probe(spawnChild, options.command.join(' '), options.probeTimeoutMs ?? 30_000),
    async connect() {
      const connection = new ChildConnection(spawnChild, name, options.logger, options.maxRestarts ?? restartDelaysMs.length);
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
async function probe(spawnChild: SpawnChild, commandLine: string, timeoutMs: number): Promise<void> {
  const { child } = await spawnChild();
  const stderrTail: string[] = [];
  onLines(child.stderr, (line) => {
    stderrTail.push(line);
    if (stderrTail.length > 5) stderrTail.shift();
  });
  try {
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new UserError(`${commandLine} did not answer initialize within ${timeoutMs / 1000}s`, { exitCode: 4 })), timeoutMs);
      onLines(child.stdout, (line) => {
        if (line.includes('"mcpctl-probe"')) {
          clearTimeout(timer);
          resolve();
        }
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
  ) {}

  async start(): Promise<void> {
    const { child } = await this.spawnChild();
    this.child = child;
    onLines(child.stdout, (line) => this.fromChild(line));
    onLines(child.stderr, (line) => this.passStderr(line));
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
    child.stdin.write(`${JSON.stringify(message)}\n`);
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
    let message: JSONRPCMessage;
    try {
      message = JSON.parse(line) as JSONRPCMessage;
    } catch {
      this.logger.warn(`${this.name} wrote a line that is not JSON-RPC to stdout (servers must log to stderr)`, { line: line.slice(0, 200) });
      return;
    }
    if (isResponse(message) && this.replayId !== undefined && message.id === this.replayId) {
      this.replayId = undefined;
      if (this.initialized) this.child?.stdin.write(`${JSON.stringify(this.initialized)}\n`);
      return;
    }
    if (isResponse(message)) this.restarts = 0;
    this.onmessage?.(message, undefined);
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
