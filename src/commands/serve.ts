import { Option, type Command } from 'commander';
import { serveTable, toServeSettings } from '../serve/settings.js';
import { flagRows, keyNames } from '../setting-rows.js';
import { collect, commandAfterDash } from './target-options.js';

/** The help's last line: every key of mcpctl.json, from the settings table, wrapped at `width` like the text above. */
function configKeysHelp(width = 116): string {
  const names = keyNames(serveTable);
  const lines = ['Keys in mcpctl.json (flags override them):'];
  names.forEach((name, index) => {
    const word = `${name}${index === names.length - 1 ? '.' : ','}`;
    if (lines.at(-1)!.length + 1 + word.length > width) lines.push(word);
    else lines[lines.length - 1] += ` ${word}`;
  });
  return lines.join('\n');
}

export function registerServe(program: Command): void {
  const command = program
    .command('serve')
    .description('run an MCP server behind the gateway: stdio or Streamable HTTP, with auth, rate limits and tracing')
    .argument('[entry]', 'module exporting createServer() (.js or .ts), served in-process; or give a command after --')
    .argument('[command...]', 'after --: any MCP server command, spawned and spoken to over stdio')
    .option('-c, --config <file>', 'config file (default: mcpctl.json if present)');
  // Every other flag comes from the settings table, which knows the key each one sets.
  const flags = flagRows(serveTable).map((row) => {
    const option = new Option(row.flags, row.description);
    if (row.choices) option.choices(row.choices);
    if (row.repeatable) option.argParser(collect);
    command.addOption(option);
    return { key: row.key, name: option.attributeName() };
  });
  command
    .addHelpText(
      'after',
      `
Examples:
  $ mcpctl serve dist/server.js                          in-process module over stdio
  $ mcpctl serve src/server.ts --transport http          a .ts module, no build step, on :8080/mcp
  $ mcpctl serve --transport http -- npx -y @modelcontextprotocol/server-everything
  $ mcpctl serve dist/server.js -t http --dev            auth with the dev key from "mcpctl keys init"
  $ mcpctl serve dist/server.js -t http --jwks-url https://idp.example.com/.well-known/jwks.json \\
      --issuer https://idp.example.com/ --rate-limit 60/min --tool-rate-limit search=10/min

${configKeysHelp()}`,
    )
    .action(async (entry: string | undefined, operands: string[], opts: Record<string, unknown> & { config?: string }, cmd: Command) => {
      const [{ loadConfig, checkConfig }, { applyServeFlags }, { serve }] = await Promise.all([
        import('../config.js'),
        import('../serve/serve-flags.js'),
        import('../serve/serve.js'),
      ]);
      const config = loadConfig(opts.config, opts.config !== undefined);
      const childCommand = commandAfterDash();
      const moduleOperands = [entry, ...operands].filter((operand): operand is string => operand !== undefined);
      if (childCommand) moduleOperands.splice(moduleOperands.length - childCommand.length);
      const given = new Map(flags.map(({ key, name }) => [key, opts[name]]));
      const merged = checkConfig(applyServeFlags(config, moduleOperands, childCommand, given), 'serve flags and config');
      await serve(toServeSettings(merged), { verbose: cmd.optsWithGlobals<{ verbose?: boolean }>().verbose === true });
    });
}
