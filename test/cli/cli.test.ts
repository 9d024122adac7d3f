import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { repoRoot } from '../helpers/serve.js';
import { runCli } from '../helpers/cli.js';

const { version } = JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')) as { version: string };
const ansi = /\x1b\[/;

/** The commands `mcpctl --help` lists, each with its one-line description. */
function listedCommands(help: string): Array<{ name: string; description: string }> {
  const section = help.split('\nCommands:\n')[1]?.split('\n\n')[0] ?? '';
  return section
    .split('\n')
    .map((line) => /^ {2}(\S+)(?: [^ ]\S*)*(?: {2,}(.*))?$/.exec(line))
    .filter((match) => match !== null)
    .map((match) => ({ name: match[1]!, description: match[2] ?? '' }));
}

describe('mcpctl --version and --help', () => {
  it('prints the package version', async () => {
    for (const flag of ['--version', '-v']) {
      const result = await runCli([flag]);
      expect(result).toEqual({ code: 0, stdout: version, stderr: '' });
    }
  });

  it('lists every command with a one-line description, and examples', async () => {
    const result = await runCli(['--help']);
    expect(result.code).toBe(0);
    const commands = listedCommands(result.stdout);
    expect(commands.map((command) => command.name)).toEqual(expect.arrayContaining(['init', 'serve']));
    for (const command of commands.filter((listed) => listed.name !== 'help')) expect(command.description, command.name).not.toBe('');
    expect(result.stdout).toMatch(/\nExamples:\n {2}\$ npx mcpctl init/);
  });

  it('documents every flag of every command', async () => {
    const { stdout } = await runCli(['--help']);
    for (const { name } of listedCommands(stdout).filter((listed) => listed.name !== 'help')) {
      const result = await runCli([name, '--help']);
      expect(result.code, name).toBe(0);
      const options = result.stdout.split('\nOptions:\n')[1]?.split('\n\n')[0] ?? '';
      // Each flag line carries its description (commander wraps long ones onto indented lines).
      for (const line of options.split('\n').filter((text) => /^ {2}-/.test(text))) expect(line, `${name}: ${line}`).toMatch(/^ {2}-\S.*\S {2,}\S/);
    }
  });

  it('init --help names every template in templates/', async () => {
    const { stdout } = await runCli(['init', '--help']);
    const { listTemplates } = await import('../../src/scaffold/templates.js');
    for (const template of listTemplates()) expect(stdout).toContain(template.name);
  });
});

describe('usage errors: one line with a suggestion, exit 2, no stack trace', () => {
  it.each([
    [['ini'], "mcpctl: unknown command 'ini' (Did you mean init?)"],
    [['frobnicate'], `mcpctl: unknown command 'frobnicate' (see "mcpctl --help")`],
    [['--bogus'], `mcpctl: unknown option '--bogus' (see "mcpctl --help")`],
    [['init', '--forse'], "mcpctl: unknown option '--forse' (Did you mean --force?)"],
    [['init', '--bogus'], `mcpctl: unknown option '--bogus' (see "mcpctl init --help")`],
    [['init', 'a', 'b'], `mcpctl: too many arguments for 'init'. Expected 1 argument but got 2. (see "mcpctl init --help")`],
  ])('mcpctl %j', async (args, line) => {
    const result = await runCli(args);
    expect(result).toEqual({ code: 2, stdout: '', stderr: line });
  });
});

describe('colours', () => {
  it('are on when forced, and NO_COLOR turns them off (chalk alone would not)', async () => {
    const forced = await runCli(['init', 'x', '--name', 'Bad Name'], { env: { NO_COLOR: '', FORCE_COLOR: '1' } });
    expect(forced.stderr).toMatch(ansi);
    const noColor = await runCli(['init', 'x', '--name', 'Bad Name'], { env: { NO_COLOR: '1', FORCE_COLOR: '1' } });
    expect(noColor.stderr).not.toMatch(ansi);
    expect(noColor.stderr.split('\n')[0]).toBe('mcpctl: invalid package name "Bad Name": npm names are lowercase');
  });

  it('are off when the output is not a terminal', async () => {
    const result = await runCli(['init', 'x', '--name', 'Bad Name'], { env: { NO_COLOR: '', FORCE_COLOR: undefined } });
    expect(result.stderr).not.toMatch(ansi);
  });
});
