import { Command, CommanderError } from 'commander';
import { ExitCode } from './errors.js';
import { ownPackage } from './own-package.js';
import { reportFailure } from './cli/report-failure.js';
import { registerInit } from './commands/init.js';
import { registerServe } from './commands/serve.js';
import { registerClientCommands } from './commands/client.js';
import { registerKeys } from './commands/keys.js';
import { registerToken } from './commands/token.js';

// Only commander and the command definitions load before a command is chosen: each action imports its module
// lazily, so `mcpctl --help` costs little more than Node's own start-up.

const program = new Command('mcpctl')
  .description('Scaffold, serve and inspect Model Context Protocol servers')
  .version(ownPackage.version, '-v, --version', 'print the version')
  .option('--verbose', 'show stack traces and debug detail for errors')
  .showSuggestionAfterError(true)
  .exitOverride()
  .configureOutput({ outputError: () => {} });

registerInit(program);
registerServe(program);
registerClientCommands(program);
registerKeys(program);
registerToken(program);

program.addHelpText(
  'after',
  `
Examples:
  $ npx mcpctl init my-server                     scaffold a project (interactive on a TTY)
  $ mcpctl serve dist/server.js --transport http  serve a module over Streamable HTTP on :8080
  $ mcpctl serve --transport http -- python srv.py serve any stdio MCP server behind the gateway
  $ mcpctl list --url http://127.0.0.1:8080/mcp   list a server's tools, resources and prompts
  $ mcpctl call echo message=hi -- node dist/server.js

Run "mcpctl <command> --help" for a command's flags.`,
);

try {
  await program.parseAsync(process.argv);
} catch (error) {
  if (error instanceof CommanderError) {
    // --help and --version arrive here as "errors" with exit code 0.
    if (error.exitCode === 0) process.exit(0);
    const message = error.message.replace(/^error:\s*/, '').replace(/\s*\n\s*/g, ' ');
    // One line: commander's own suggestion when it has one, else the help of the command at hand.
    const named = program.commands.find((command) => command.name() === process.argv.slice(2).find((arg) => !arg.startsWith('-')));
    const hint = message.includes('Did you mean') ? '' : ` (see "mcpctl ${named ? `${named.name()} ` : ''}--help")`;
    process.stderr.write(`mcpctl: ${message}${hint}\n`);
    process.exit(ExitCode.usage);
  }
  await reportFailure(error, program.opts<{ verbose?: boolean }>().verbose === true);
}
