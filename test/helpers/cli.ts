import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { mcpctlBin } from './serve.js';

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** The user without privileges (nobody) that `unprivileged` runs the CLI as when the tests run as root. */
export const nobody = { uid: 65534, gid: 65534 } as const;

export const runningAsRoot = process.getuid?.() === 0;

/**
 * Runs the built CLI without a terminal (pipes), as CI and scripts do. `unprivileged`: as `nobody` when the tests
 * run as root (root writes anywhere), which then must be able to reach `cwd`, and the repository.
 */
export async function runCli(args: string[], options: { cwd?: string; env?: Record<string, string | undefined>; unprivileged?: boolean } = {}): Promise<CliResult> {
  const user = options.unprivileged && runningAsRoot ? nobody : {};
  const result = await execa(process.execPath, [mcpctlBin, ...args], { cwd: options.cwd, env: { NO_COLOR: '1', ...options.env }, reject: false, stdin: 'ignore', ...user });
  return { code: result.exitCode ?? -1, stdout: result.stdout, stderr: result.stderr };
}

/** A fresh temporary directory, removed by the returned function. */
export function tempDir(prefix: string): { dir: string; remove(): void } {
  const dir = mkdtempSync(join(tmpdir(), `mcpctl-${prefix}-`));
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

/** Every entry under `dir`, recursively, sorted: to show that a failed run left nothing behind. */
export function tree(dir: string): string[] {
  return (readdirSync(dir, { recursive: true }) as string[]).sort();
}
