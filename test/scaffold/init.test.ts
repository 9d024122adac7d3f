import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { mcpctlBin } from '../helpers/serve.js';
import { runCli, tempDir } from '../helpers/cli.js';

const temp = tempDir('init');
afterAll(() => temp.remove());
const cwd = temp.dir;

describe('mcpctl init without a terminal', () => {
  it('asks nothing, prints what it chose, writes the project, runs git init and prints the next commands', async () => {
    const result = await runCli(['init', 'My Server', '--no-install'], { cwd });
    expect(result.code, result.stderr).toBe(0);
    expect(result.stderr).toBe('');
    expect(result.stdout).toContain('No terminal, so no questions; using:');
    expect(result.stdout).toMatch(/name +my-server\n/);
    expect(result.stdout).toMatch(/template +minimal: one tool with a zod input schema\n/);
    expect(result.stdout).toMatch(/transport +http\n {2}auth +off\n {2}install +no\n {2}git init +yes\n/);
    expect(result.stdout).toContain('Created My Server from the minimal template (8 files).');
    expect(result.stdout).toMatch(/Next steps:\n {2}cd 'My Server'\n {2}npm install\n {2}npm run build +# .*\n {2}npm test +# .*\n {2}npm start +# serves http:\/\/127\.0\.0\.1:8080\/mcp\n/);
    expect(existsSync(join(cwd, 'My Server', '.git'))).toBe(true);
    expect(JSON.parse(readFileSync(join(cwd, 'My Server', 'package.json'), 'utf8')).name).toBe('my-server');
  });

  it('takes the directory from a scoped --name, and the flags over the defaults', async () => {
    const result = await runCli(['init', '--name', '@acme/tools', '--template', 'full', '--transport', 'stdio', '--auth', '--no-install', '--no-git'], { cwd });
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toMatch(/directory +tools\n {2}name +@acme\/tools\n {2}template +full: /);
    expect(result.stdout).toMatch(/npx mcpctl keys init +# .*\n {2}npm start +# serves over stdio\n/);
    expect(existsSync(join(cwd, 'tools', '.git'))).toBe(false);
    expect(JSON.parse(readFileSync(join(cwd, 'tools', 'mcpctl.json'), 'utf8'))).toMatchObject({ transport: 'stdio', auth: { dev: true } });
  });

  it('writes into the current directory when it is empty but for .git', async () => {
    const here = join(cwd, 'here');
    mkdirSync(here);
    expect(spawnSync('git', ['init', '--quiet'], { cwd: here }).status).toBe(0);
    const result = await runCli(['init', '.', '--no-install'], { cwd: here });
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toMatch(/directory +\.\n {2}name +here\n/);
    expect(result.stdout).toContain('Skipped git init: already inside a git repository.');
    expect(result.stdout).not.toContain('cd .');
    expect(readdirSync(here).sort()).toEqual(['.git', '.gitignore', 'README.md', 'mcpctl.json', 'package.json', 'src', 'test', 'tsconfig.build.json', 'tsconfig.json']);
  });
});

// `script` gives the CLI a real pseudo-terminal; answers are typed only once their question shows.
const hasScript = spawnSync('script', ['--version']).status === 0;

describe.skipIf(!hasScript)('mcpctl init on a terminal', () => {
  it('asks only what the flags leave open, with clack', async () => {
    const output = await onTerminal(['init', 'asked', '--template', 'full', '--transport', 'http', '--no-install', '--no-git'], [
      [/Project name/, '\r'],
      [/Require auth/, 'y\r'],
    ]);
    expect(output).toContain('mcpctl init');
    expect(output).not.toMatch(/Template|Transport for npm start|Install dependencies|Initialize a git/);
    expect(output).toContain('Created asked from the full template');
    expect(JSON.parse(readFileSync(join(cwd, 'asked', 'package.json'), 'utf8')).name).toBe('asked');
    expect(JSON.parse(readFileSync(join(cwd, 'asked', 'mcpctl.json'), 'utf8')).auth).toEqual({ dev: true, tools: { add: ['math'] } });
  });

  it('asks nothing with --yes', async () => {
    const output = await onTerminal(['init', 'yes', '--yes', '--no-install', '--no-git'], []);
    expect(output).toContain('Asking nothing (--yes); using:');
    expect(output).toContain('Created yes from the minimal template');
  });
});

/** Runs the CLI under `script` (a pty); each time output matches a pattern, types its answer. Resolves with the output. */
function onTerminal(args: string[], answers: Array<[RegExp, string]>): Promise<string> {
  const command = ['stty cols 120 rows 40;', process.execPath, mcpctlBin, ...args].map((part) => (part.endsWith(';') ? part : `'${part}'`)).join(' ');
  const child = spawn('script', ['-qfec', command, '/dev/null'], { cwd, env: { ...process.env, NO_COLOR: '1' }, stdio: ['pipe', 'pipe', 'inherit'] });
  let output = '';
  const pending = [...answers];
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
    output += chunk;
    while (pending[0] && pending[0][0].test(output)) child.stdin.write(pending.shift()![1]);
  });
  return new Promise((resolve, reject) => {
    child.on('exit', (code) => {
      // Strip the terminal's control sequences: what remains is what a person reads.
      const text = output.replace(/\x1b\[[0-9;?]*[A-Za-z]/g, '');
      if (code === 0 && pending.length === 0) resolve(text);
      else reject(new Error(`exit ${code}, unanswered ${pending.map(([pattern]) => pattern).join(', ')}:\n${text}`));
    });
  });
}
