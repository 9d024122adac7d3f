/** An MCP server over stdio: spawned, its stdout framed as bounded lines, its stderr's last lines kept, its exit told, and a stop that escalates. */
import { settleWithin } from '../settle-within.js';
import { exitOf, spawnCommand, type ExitInfo } from './command.js';
import { onLines, type LineReader } from './line-reader.js';

export type { ExitInfo } from './command.js';
export type { LineReader } from './line-reader.js';

/** Longest stderr line kept whole; the rest of a longer one is cut. */
const maxStderrLine = 16 * 1024;
/** How many of the server's last stderr lines are kept to say why it failed. */
const stderrTailLines = 5;

export interface StdioServerOptions {
  readonly command: string;
  readonly args: readonly string[];
  /** The whole environment the server starts with: nothing is added to it. */
  readonly env: NodeJS.ProcessEnv;
  readonly cwd?: string | undefined;
  /** Each line the server writes to stderr; one longer than 16 KiB is cut and says its size. */
  onStderrLine?(line: string): void;
  /** The server's stderr as it comes, untouched. */
  onStderrChunk?(chunk: Buffer): void;
}

export interface StdioServer {
  readonly pid: number | undefined;
  /** Resolves when the process is gone and its output read (or it never started). */
  readonly exited: Promise<ExitInfo>;
  /** Set once the process is gone. */
  exitInfo(): ExitInfo | undefined;
  /** Started and not yet exited: what is written now can reach it. */
  running(): boolean;
  /**
   * Frames stdout as newline-delimited JSON-RPC: each line to `reader`; a line over `maxBytes` is skipped as it
   * streams past, never held whole. Until this is called stdout waits in the pipe.
   */
  readLines(maxBytes: number, reader: LineReader): void;
  /** Writes whole lines to stdin; a write after the process died is lost quietly (its exit says why). */
  write(lines: string): void;
  /** The last few lines the server wrote to stderr, oldest first. */
  stderrTail(): readonly string[];
  /**
   * Ends stdin (MCP's way to say goodbye), sends SIGTERM after `termAfterMs` (default at once) and SIGKILL
   * `killAfterMs` later; resolves when the process is gone and its output closed, or `killAfterMs` after the
   * SIGKILL at the latest.
   */
  stop(timing: { termAfterMs?: number; killAfterMs: number }): Promise<void>;
  /** SIGKILL now, no waiting: the last resort when mcpctl itself exits. */
  kill(): void;
}

/** Starts `command` with pipes on all three streams. Its stderr is read at once; stdout once readLines is called. */
export function spawnStdioServer(options: StdioServerOptions): StdioServer {
  const child = spawnCommand(options.command, options.args, { cwd: options.cwd, env: options.env, stdio: ['pipe', 'pipe', 'pipe'] });
  const tail: string[] = [];
  const stderrLine = (line: string): void => {
    tail.push(line);
    if (tail.length > stderrTailLines) tail.shift();
    options.onStderrLine?.(line);
  };
  onLines(child.stderr!, maxStderrLine, { onLine: stderrLine, onOversized: (size, head) => stderrLine(`${head}…[${size} bytes, cut]`) }, { unterminated: true });
  if (options.onStderrChunk) child.stderr!.on('data', options.onStderrChunk);
  // EPIPE when the server dies mid-write must not crash us: the exit reports it.
  child.stdin!.on('error', () => {});
  let info: ExitInfo | undefined;
  const exited = exitOf(child).then((exit) => (info = exit));
  const running = (): boolean => child.pid !== undefined && child.exitCode === null && child.signalCode === null;
  const exitsWithin = async (ms: number): Promise<boolean> => {
    await settleWithin([exited], ms);
    return info !== undefined;
  };
  return {
    pid: child.pid,
    exited,
    exitInfo: () => info,
    running,
    readLines: (maxBytes, reader) => onLines(child.stdout!, maxBytes, reader),
    write(lines) {
      if (child.stdin!.writable) child.stdin!.write(lines);
    },
    stderrTail: () => [...tail],
    async stop({ termAfterMs = 0, killAfterMs }) {
      if (info !== undefined || child.pid === undefined) return;
      child.stdin!.end();
      if (termAfterMs > 0 && (await exitsWithin(termAfterMs))) return;
      child.kill('SIGTERM');
      if (await exitsWithin(killAfterMs)) return;
      child.kill('SIGKILL');
      // Bounded: a grandchild that holds its pipes open would keep the output from closing.
      await exitsWithin(killAfterMs);
    },
    kill() {
      if (running()) child.kill('SIGKILL');
    },
  };
}
