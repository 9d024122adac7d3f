import { settleWithin } from '../settle-within.js';
import { spawn, type ChildProcess } from 'node:child_process';
import type { Transport } from '@modelcontextprotocol/sdk/shared/transport.js';
import type { JSONRPCMessage } from '@modelcontextprotocol/sdk/types.js';
import type { StdioTarget } from './target.js';

const stderrTailBytes = 4096;

export interface ExitInfo {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  /** Set when the command could not be started at all (ENOENT, EACCES). */
  readonly spawnError?: NodeJS.ErrnoException;
}

/** A stdio server started before the SDK is loaded, so that its start-up overlaps with ours. */
export interface ServerProcess {
  readonly child: ChildProcess;
  /** Resolves when the process is gone (or never started). */
  readonly exited: Promise<ExitInfo>;
  /** Set once the process is gone. */
  exitInfo(): ExitInfo | undefined;
  /** The last few KB the server wrote to stderr: shown when it fails. */
  stderrTail(): string;
}

/** Spawns the server with the inherited environment plus the target's; its stderr is kept (or shown with --verbose). */
export function startServerProcess(target: StdioTarget, options: { verbose: boolean }): ServerProcess {
  const child = spawn(target.command, [...target.args], {
    cwd: target.cwd,
    env: { ...process.env, ...target.env },
    stdio: ['pipe', 'pipe', 'pipe'],
    // Windows resolves npx, npm and friends (.cmd files) only through a shell.
    shell: process.platform === 'win32',
  });
  let tail = '';
  child.stderr!.setEncoding('utf8');
  child.stderr!.on('data', (chunk: string) => {
    if (options.verbose) process.stderr.write(chunk);
    tail = (tail + chunk).slice(-stderrTailBytes);
  });
  // A write after the server died must not crash us: the exit is reported instead.
  child.stdin!.on('error', () => {});
  let info: ExitInfo | undefined;
  const exited = new Promise<ExitInfo>((resolve) => {
    // `on`, not `once`: a later error (a failed kill) must find a listener too.
    child.on('error', (error: NodeJS.ErrnoException) => {
      if (child.pid === undefined) resolve((info = { code: null, signal: null, spawnError: error }));
    });
    child.once('close', (code, signal) => resolve((info ??= { code, signal })));
  });
  return { child, exited, exitInfo: () => info, stderrTail: () => tail };
}

/**
 * The SDK's stdio client transport spawns its own process when started; this one speaks over a process that is
 * already running (see startServerProcess), with the SDK's own line framing.
 */
export async function childTransport(server: ServerProcess): Promise<Transport> {
  const { ReadBuffer, serializeMessage } = await import('@modelcontextprotocol/sdk/shared/stdio.js');
  const { child } = server;
  const buffer = new ReadBuffer();
  const transport: Transport = {
    async start() {
      child.stdout!.on('data', (chunk: Buffer) => {
        try {
          buffer.append(chunk);
        } catch (error) {
          // A line past the SDK's size limit is dropped (the request waiting for it times out), not thrown.
          transport.onerror?.(error as Error);
          return;
        }
        for (;;) {
          let message: JSONRPCMessage | null;
          try {
            message = buffer.readMessage();
          } catch (error) {
            // Not a JSON-RPC message (a server logging to stdout): skipped, the line is already consumed.
            transport.onerror?.(error as Error);
            continue;
          }
          if (message === null) break;
          transport.onmessage?.(message);
        }
      });
      void server.exited.then(() => transport.onclose?.());
    },
    async send(message) {
      if (server.exitInfo() !== undefined) throw new Error('the server process has exited');
      child.stdin!.write(serializeMessage(message));
    },
    async close() {
      await stopProcess(server);
    },
  };
  return transport;
}

const stopGraceMs = 1000;

/** Closes the server's stdin (MCP's way to say goodbye), then SIGTERM, then SIGKILL, each after a short grace. */
export async function stopProcess(server: ServerProcess): Promise<void> {
  if (server.exitInfo() !== undefined) return;
  server.child.stdin!.end();
  for (const signal of ['SIGTERM', 'SIGKILL'] as const) {
    if (await exitsWithin(server, stopGraceMs)) return;
    server.child.kill(signal);
  }
}

async function exitsWithin(server: ServerProcess, ms: number): Promise<boolean> {
  await settleWithin([server.exited], ms);
  return server.exitInfo() !== undefined;
}
