import type { Transport } from '@modelcontextprotocol/sdk/shared/transport.js';
import type { JSONRPCMessage } from '@modelcontextprotocol/sdk/types.js';
import { spawnStdioServer, type StdioServer } from '../shared/stdio-server.js';
import type { StdioTarget } from './target.js';

/** A stdio server started before the SDK is loaded, so that its start-up overlaps with ours. */
export type ServerProcess = StdioServer;

/** Spawns the server with the inherited environment plus the target's; its stderr is kept (or shown with --verbose). */
export function startServerProcess(target: StdioTarget, options: { verbose: boolean }): ServerProcess {
  return spawnStdioServer({
    command: target.command,
    args: target.args,
    cwd: target.cwd,
    env: { ...process.env, ...target.env },
    onStderrChunk: options.verbose ? (chunk) => process.stderr.write(chunk) : undefined,
  });
}

/**
 * The SDK's stdio client transport spawns its own process when started; this one speaks over a process that is
 * already running (see startServerProcess), with the SDK's own messages and its line-size limit.
 */
export async function childTransport(server: ServerProcess): Promise<Transport> {
  const { STDIO_DEFAULT_MAX_BUFFER_SIZE: maxLineBytes, deserializeMessage, serializeMessage } = await import('@modelcontextprotocol/sdk/shared/stdio.js');
  const transport: Transport = {
    async start() {
      server.readLines(maxLineBytes, {
        onLine(line) {
          let message: JSONRPCMessage;
          try {
            message = deserializeMessage(line);
          } catch (error) {
            // Not a JSON-RPC message (a server logging to stdout): skipped.
            transport.onerror?.(error as Error);
            return;
          }
          transport.onmessage?.(message);
        },
        // Skipped without being held whole (the request waiting for it times out), not thrown.
        onOversized(size) {
          transport.onerror?.(new Error(`the server wrote a ${size}-byte line, over the ${maxLineBytes}-byte limit: skipped`));
        },
      });
      void server.exited.then(() => transport.onclose?.());
    },
    async send(message) {
      if (server.exitInfo() !== undefined) throw new Error('the server process has exited');
      server.write(serializeMessage(message));
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
  await server.stop({ termAfterMs: stopGraceMs, killAfterMs: stopGraceMs });
}
