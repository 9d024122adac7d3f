import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * Runs a fixture script in a fresh process with the import-log hooks (test/tracing/fixtures/import-log-hooks.mjs
 * registered by the script, writing to IMPORT_LOG); answers its stdout and every module it loaded. The exit code
 * does not matter: a refusal loads modules too.
 */
export async function modulesLoadedBy(script: string, args: string[] = [], env: Record<string, string> = {}): Promise<{ stdout: string; modules: string[] }> {
  const dir = await mkdtemp(join(tmpdir(), 'mcpctl-imports-'));
  try {
    const log = join(dir, 'imports.log');
    const stdout = await new Promise<string>((done) => {
      execFile(process.execPath, [script, ...args], { cwd: dir, env: { PATH: process.env.PATH, IMPORT_LOG: log, ...env } }, (_error, out) => done(out));
    });
    return { stdout, modules: (await readFile(log, 'utf8')).split('\n').filter(Boolean) };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
