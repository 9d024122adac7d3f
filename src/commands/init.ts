import { Option, type Command } from 'commander';
import type { InitFlags } from '../scaffold/choices.js';

type ParsedFlags = Omit<InitFlags, 'install' | 'git'> & { install: boolean; git: boolean };

export function registerInit(program: Command): void {
  program
    .command('init')
    .description('create a new MCP server project from a template')
    .argument('[dir]', 'directory for the project (default: the package name)')
    .option('-t, --template <name>', 'minimal (one tool) or full (tools, resources, a prompt, tests, auth/rate-limit/tracing config); default minimal')
    .option('-n, --name <pkg>', 'npm package name (default: from the directory name)')
    .addOption(new Option('--transport <kind>', 'what "npm start" serves (default http, on :8080)').choices(['stdio', 'http']))
    .option('--auth', 'require JWTs: mcpctl.json trusts the dev key pair from "mcpctl keys init"')
    .option('--no-auth', 'serve without auth (the default)')
    .option('-y, --yes', 'ask nothing: defaults for whatever no flag sets (also the case without a terminal)')
    .option('--no-install', 'do not run npm install')
    .option('--no-git', 'do not run git init')
    .option('-f, --force', 'write into a directory that is not empty; its files are kept and none is overwritten')
    .option('--mcpctl <spec>', 'the project\'s mcpctl dependency (default: ^ this version), e.g. file:../mcpctl for a checkout')
    .addHelpText(
      'after',
      `
On a terminal, init asks for whatever the flags leave open; elsewhere it asks nothing and prints its choices.

Examples:
  $ npx mcpctl init                                   ask everything
  $ npx mcpctl init my-server --template full --yes   no questions: the full template, defaults elsewhere
  $ npx mcpctl init . --force --no-git                into the current (non-empty) directory
  $ npx mcpctl init tools --name @acme/tools --transport stdio --auth --no-install`,
    )
    .action(async (dir: string | undefined, flags: ParsedFlags, command: Command) => {
      const { runInit } = await import('../scaffold/init.js');
      // --no-install and --no-git default to true; only a flag actually typed should skip their question.
      const typed = (key: 'install' | 'git'): boolean | undefined => (command.getOptionValueSource(key) === 'cli' ? flags[key] : undefined);
      await runInit(dir, { ...flags, install: typed('install'), git: typed('git') });
    });
}
