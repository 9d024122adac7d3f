import type { Command } from 'commander';

export function registerInit(program: Command): void {
  program
    .command('init [dir]')
    .description('create a new MCP server project from a template')
    .action(() => {
      throw new Error('not implemented yet');
    });
}
