import { chmodSync, chownSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { freePort } from '../helpers/ports.js';
import { nobody, runCli, runningAsRoot, tempDir, tree, type CliResult } from '../helpers/cli.js';

// Every refusal: one line naming the problem (plus at most one hint line), the right exit code, no stack trace,
// and the directory exactly as it was before.
const temp = tempDir('bad-input');
afterAll(() => temp.remove());

let cwd: string;
let count = 0;
beforeEach(() => {
  cwd = join(temp.dir, `case-${++count}`);
  mkdirSync(cwd);
});

const initArgs = (args: string[]): string[] => ['init', ...args, '--no-install', '--no-git'];
const init = (...args: string[]): Promise<CliResult> => runCli(initArgs(args), { cwd });

function expectRefusal(result: CliResult, code: number, message: RegExp): void {
  expect(result.code).toBe(code);
  const lines = result.stderr.trim().split('\n');
  expect(lines[0]).toMatch(message);
  expect(lines.length).toBeLessThanOrEqual(2);
  expect(result.stderr).not.toMatch(/^\s+at /m);
}

describe('mcpctl init refuses bad input and leaves nothing behind', () => {
  it('an invalid package name (exit 2)', async () => {
    expectRefusal(await init('app', '--name', 'Bad Name'), 2, /^mcpctl: invalid package name "Bad Name": npm names are lowercase$/);
    expectRefusal(await init('app', '--name', '.hidden'), 2, /^mcpctl: invalid package name "\.hidden": it may not start with "\." or "_"$/);
    expect(tree(cwd)).toEqual([]);
  });

  it('an unknown template, listing the valid ones (exit 2)', async () => {
    expectRefusal(await init('app', '--template', 'fancy'), 2, /^mcpctl: unknown template "fancy": choose one of minimal, full$/);
    expect(tree(cwd)).toEqual([]);
  });

  it('a directory that is not empty, without --force (exit 2); the files there untouched', async () => {
    mkdirSync(join(cwd, 'app'));
    writeFileSync(join(cwd, 'app', 'notes.txt'), 'mine');
    expectRefusal(await init('app'), 2, /^mcpctl: app is not empty: choose a new directory, or add --force/);
    expect(tree(cwd)).toEqual(['app', join('app', 'notes.txt')]);
    expect(readFileSync(join(cwd, 'app', 'notes.txt'), 'utf8')).toBe('mine');
  });

  it('with --force, a file the project would overwrite (exit 2); nothing written, nothing replaced', async () => {
    mkdirSync(join(cwd, 'app'));
    writeFileSync(join(cwd, 'app', 'README.md'), 'mine');
    writeFileSync(join(cwd, 'app', 'notes.txt'), 'mine');
    expectRefusal(await init('app', '--force'), 2, /^mcpctl: app already has README\.md: move it away, or choose another directory$/);
    expect(tree(cwd)).toEqual(['app', join('app', 'README.md'), join('app', 'notes.txt')]);
    expect(readFileSync(join(cwd, 'app', 'README.md'), 'utf8')).toBe('mine');
  });

  it('a path that is a file (exit 2)', async () => {
    writeFileSync(join(cwd, 'app'), 'mine');
    expectRefusal(await init('app'), 2, /^mcpctl: app is a file, not a directory/);
    expect(readFileSync(join(cwd, 'app'), 'utf8')).toBe('mine');
  });

  it('a path that cannot be written: under a file (exit 1)', async () => {
    writeFileSync(join(cwd, 'file'), 'mine');
    expectRefusal(await init('file/app'), 1, /^mcpctl: cannot write file\/app: part of the path is a file$/);
    expect(tree(cwd)).toEqual(['file']);
  });

  // Root writes anywhere: as root (CI) the CLI runs as nobody, in a directory of nobody's made read-only.
  it('a path that cannot be written: no permission (exit 1)', async () => {
    mkdirSync(join(cwd, 'locked'));
    if (runningAsRoot) {
      chmodSync(temp.dir, 0o755); // mkdtemp made it 0700: nobody could not even reach cwd
      chownSync(join(cwd, 'locked'), nobody.uid, nobody.gid);
    }
    chmodSync(join(cwd, 'locked'), 0o500);
    try {
      const result = await runCli(initArgs(['locked/deeper/app']), { cwd, unprivileged: true });
      expectRefusal(result, 1, /^mcpctl: cannot write locked\/deeper\/app: permission denied$/);
      expect(tree(cwd)).toEqual(['locked']);
    } finally {
      chmodSync(join(cwd, 'locked'), 0o700);
    }
  });

  it('an empty directory name or --mcpctl spec (exit 2); a path under a missing system directory (exit 1)', async () => {
    expectRefusal(await init(''), 2, /^mcpctl: the directory is empty: name one, or leave it out$/);
    expectRefusal(await init('app', '--mcpctl', ''), 2, /^mcpctl: --mcpctl needs a dependency spec/);
    expectRefusal(await init('/proc/mcpctl-app'), 1, /^mcpctl: cannot write \/proc\/mcpctl-app: /);
  });

  it('a bad flag value (exit 2)', async () => {
    expectRefusal(await init('app', '--transport', 'carrier-pigeon'), 2, /^mcpctl: option '--transport <kind>' argument 'carrier-pigeon' is invalid\. Allowed choices are stdio, http\./);
    expect(tree(cwd)).toEqual([]);
  });
});

describe('mcpctl init when npm install fails', () => {
  it('keeps the project, says how to retry, and exits 1', async () => {
    const port = await freePort();
    const result = await runCli(['init', 'app', '--no-git'], {
      cwd,
      // A registry on a loopback port nobody listens on: npm fails at once, for real.
      env: { npm_config_registry: `http://127.0.0.1:${port}/`, npm_config_fetch_retries: '0', npm_config_prefer_online: 'true', npm_config_audit: 'false' },
    });
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/^mcpctl: npm install failed: .*ECONNREFUSED/);
    expect(result.stderr).toContain('the project is complete in app; fix the cause, then run: cd app && npm install');
    expect(tree(join(cwd, 'app'))).toEqual(expect.arrayContaining(['package.json', 'mcpctl.json', join('src', 'server.ts')]));
  });
});

describe('mcpctl init --force', () => {
  it('puts the project beside the files already there and keeps them', async () => {
    mkdirSync(join(cwd, 'app'));
    writeFileSync(join(cwd, 'app', 'notes.txt'), 'mine');
    const result = await init('app', '--force');
    expect(result.code, result.stderr).toBe(0);
    expect(readFileSync(join(cwd, 'app', 'notes.txt'), 'utf8')).toBe('mine');
    expect(tree(join(cwd, 'app'))).toEqual(expect.arrayContaining(['notes.txt', 'package.json', '.gitignore']));
    expect(tree(cwd).filter((entry) => entry.includes('.mcpctl-'))).toEqual([]);
  });
});
