/** Starts commands the way every mcpctl room does (node:child_process, a shell only on Windows) and says how they ended. */
import { spawn, type ChildProcess, type StdioOptions } from 'node:child_process';

export interface ExitInfo {
  /** The exit code; null when a signal ended the process or it never started. */
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  /** Set when the command could not be started at all (ENOENT, EACCES). */
  readonly spawnError?: NodeJS.ErrnoException;
}

export interface CommandOptions {
  readonly cwd?: string | undefined;
  /** The whole environment (nothing is added to it); the default is mcpctl's own. */
  readonly env?: NodeJS.ProcessEnv | undefined;
  readonly stdio: StdioOptions;
}

/** Spawns `command`. Windows finds npx, npm and friends (.cmd files) only through a shell. */
export function spawnCommand(command: string, args: readonly string[], options: CommandOptions): ChildProcess {
  return spawn(command, [...args], { cwd: options.cwd, env: options.env, stdio: options.stdio, shell: process.platform === 'win32', windowsHide: true });
}

/**
 * Resolves when the process is gone and its output streams are closed, or at once with `spawnError` when it never
 * started (no 'exit' then, and a 'close' with a negative code that says less).
 */
export function exitOf(child: ChildProcess): Promise<ExitInfo> {
  return new Promise<ExitInfo>((resolve) => {
    // `on`, not `once`: a later error (a failed kill) must find a listener too.
    child.on('error', (error: NodeJS.ErrnoException) => {
      if (child.pid === undefined) resolve({ code: null, signal: null, spawnError: error });
    });
    child.once('close', (code, signal) => resolve({ code, signal }));
  });
}

export interface CommandResult extends ExitInfo {
  /** It did not start, a signal ended it, or it exited with a code other than 0. */
  readonly failed: boolean;
  readonly stdout: string;
  /** stdout and stderr interleaved as they came. */
  readonly output: string;
}

/** Runs `command` to its end with no input; its failures come back in the result, never as an exception. */
export async function runCommand(command: string, args: readonly string[], options: { cwd?: string }): Promise<CommandResult> {
  const child = spawnCommand(command, args, { cwd: options.cwd, stdio: ['ignore', 'pipe', 'pipe'] });
  const stdout: Buffer[] = [];
  const output: Buffer[] = [];
  child.stdout!.on('data', (chunk: Buffer) => {
    stdout.push(chunk);
    output.push(chunk);
  });
  child.stderr!.on('data', (chunk: Buffer) => output.push(chunk));
  const exit = await exitOf(child);
  return {
    ...exit,
    failed: exit.spawnError !== undefined || exit.code !== 0,
    stdout: Buffer.concat(stdout).toString('utf8'),
    output: Buffer.concat(output).toString('utf8'),
  };
}
