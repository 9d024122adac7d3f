import { Option, type Command } from 'commander';
import { UserError } from '../errors.js';
import type { TargetFlags } from '../client/target.js';
import type { ClientRun } from '../client/use-session.js';

export const collect = (value: string, previous: string[] = []): string[] => [...previous, value];

/** The flags that name a server and how to reach it: the same on every client command. */
export function addTargetOptions(command: Command): Command {
  return command
    .option('--url <url>', 'a Streamable HTTP server, e.g. http://127.0.0.1:8080/mcp (legacy SSE servers too)')
    .option('--config <file>', 'an mcpServers file (Claude Desktop, Cursor) listing the server')
    .option('--server <name>', 'which server of the --config file (not needed when it lists one)')
    .option('--header <header>', 'an HTTP header, "Name: value" (repeatable)', collect)
    .option('--token <token>', 'a bearer token, JWT or opaque (given to a stdio server as MCPCTL_TOKEN)')
    .option('--as <sub>', 'mint a short-lived test token for this subject with the dev key (mcpctl keys init)')
    .option('--scope <scopes>', 'scopes of the --as token, space-separated, e.g. "tools:echo tools:search"')
    .option('--timeout <duration>', 'how long to wait for the server to start, and for each answer (default 30s)')
    .allowExcessArguments(true);
}

/**
 * --retry, for the commands whose calls should get through in the end; bench leaves it out, since it measures
 * how a server answers load, refusals included.
 */
export function retryOption(): Option {
  return new Option('--retry <n>', 'when refused for capacity (HTTP 429/503), wait as long as the server asks (1s if it does not say; not over 60s) and try again, up to n times (default 0)');
}

/** Help text naming the three ways to give a target, for every client command's --help. */
export const targetHelp = `
Target (one of):
  --url http://127.0.0.1:8080/mcp      an HTTP server
  -- node dist/server.js               a stdio server: everything after -- is its command line
  --config mcp.json --server <name>    a server from an mcpServers file

Exit codes: 0 ok, 1 tool error (isError) or replay differed, 2 usage or config, 3 auth refused,
4 unreachable or failed to start, 5 timeout or protocol error, 6 refused for capacity (rate limit, overload).`;

/** The command line after `--`, the server's own (never parsed by mcpctl); undefined without `--`. */
export function commandAfterDash(): string[] | undefined {
  const dash = process.argv.indexOf('--');
  return dash >= 0 ? process.argv.slice(dash + 1) : undefined;
}

/**
 * Splits a command's operands into its own and the server command after `--` (never parsed by mcpctl).
 * Commander fills declared arguments from both sides of `--`, so the operands are counted here instead.
 */
export function clientRun(command: Command, minOperands: number, maxOperands: number): { run: ClientRun; operands: string[] } {
  const serverCommand = commandAfterDash();
  const operands = command.args.slice(0, command.args.length - (serverCommand?.length ?? 0));
  if (operands.length < minOperands) {
    const missing = command.registeredArguments.slice(operands.length, minOperands).map((argument) => argument.name());
    throw new UserError(`missing ${missing.join(' and ')}`, { hint: `see "mcpctl ${command.name()} --help"` });
  }
  if (operands.length > maxOperands) {
    throw new UserError(`unexpected argument "${operands.slice(maxOperands).join(' ')}"`, { hint: 'to run a stdio server, put its command after --, e.g. -- node server.js' });
  }
  const verbose = command.optsWithGlobals<{ verbose?: boolean }>().verbose === true;
  return { run: { flags: command.opts<TargetFlags>(), command: serverCommand, verbose }, operands };
}
