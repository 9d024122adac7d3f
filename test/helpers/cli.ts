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

/** Runs the built CLI without a terminal (pipes), as CI and scripts do. */
export async function runCli(args: string[], options: { cwd?: string; env?: Record<string, string | undefined> } = {}): Promise<CliResult> {
  const result = await execa(process.execPath, [mcpctlBin, ...args], { cwd: options.cwd, env: { NO_COLOR: '1', ...options.env }, reject: false, stdin: 'ignore' });
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
