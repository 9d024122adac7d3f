import { UserError } from '../errors.js';
import { parseHttpUrl } from '../http-url.js';
import { parseDuration, parseInteger } from '../units.js';

/** The target flags every client command shares (list, call, read, prompt, replay, bench). */
export interface TargetFlags {
  url?: string;
  config?: string;
  server?: string;
  header?: string[];
  token?: string;
  as?: string;
  scope?: string;
  timeout?: string;
  /** --retry: not offered by every command (bench measures refusals instead). */
  retry?: string;
}

export interface StdioTarget {
  readonly kind: 'stdio';
  readonly command: string;
  readonly args: readonly string[];
  /** Added to the inherited environment (an mcpServers entry's env, MCPCTL_TOKEN). */
  readonly env: Readonly<Record<string, string>>;
  readonly cwd: string | undefined;
}

export interface HttpTarget {
  readonly kind: 'http';
  readonly url: URL;
  readonly headers: Readonly<Record<string, string>>;
}

export type Target = StdioTarget | HttpTarget;

export interface ResolvedTarget {
  readonly target: Target;
  readonly timeoutMs: number;
  /** How many times a request refused for capacity is tried again. */
  readonly retries: number;
}

const defaultTimeout = '30s';

/**
 * Turns the shared flags (and the command after `--`) into one target with its credentials. Exactly one of
 * --url, `-- command`, --config is allowed; every mistake is a usage error (exit 2) that names the fix.
 */
export async function resolveTarget(flags: TargetFlags, command: readonly string[] | undefined, cwd = process.cwd()): Promise<ResolvedTarget> {
  const timeoutMs = parseDuration(flags.timeout ?? defaultTimeout, '--timeout');
  if (timeoutMs <= 0) throw new UserError('--timeout must be more than 0, e.g. --timeout 30s');
  const retries = flags.retry === undefined ? 0 : parseInteger(flags.retry, '--retry', 0);
  const chosen = [flags.url !== undefined && '--url', command !== undefined && 'a command after --', flags.config !== undefined && '--config'].filter(Boolean);
  if (chosen.length > 1) throw new UserError(`give one server to talk to, not ${chosen.join(' and ')}`);
  if (flags.server !== undefined && flags.config === undefined) throw new UserError('--server needs --config <mcp.json> naming the file that lists it');
  const base = await baseTarget(flags, command, cwd);
  const headers = parseHeaders(flags.header ?? []);
  if (base.kind === 'stdio' && Object.keys(headers).length > 0) throw new UserError('--header only applies to HTTP servers (--url)', { hint: 'a stdio server gets a token through --token or --as (as MCPCTL_TOKEN)' });
  const token = await tokenFor(flags, cwd);
  if (base.kind === 'stdio') return { timeoutMs, retries, target: token === undefined ? base : { ...base, env: { ...base.env, MCPCTL_TOKEN: token } } };
  const authorization: Record<string, string> = token === undefined ? {} : { Authorization: `Bearer ${token}` };
  return { timeoutMs, retries, target: { ...base, headers: { ...base.headers, ...headers, ...authorization } } };
}

async function baseTarget(flags: TargetFlags, command: readonly string[] | undefined, cwd: string): Promise<Target> {
  if (flags.url !== undefined) return { kind: 'http', url: parseHttpUrl(flags.url, '--url'), headers: {} };
  if (command !== undefined) {
    const [program, ...args] = command;
    if (program === undefined) throw new UserError('nothing after --: name the server command to run, e.g. -- node server.js');
    return { kind: 'stdio', command: program, args, env: {}, cwd: undefined };
  }
  if (flags.config !== undefined) {
    const { readMcpServer } = await import('./mcp-servers.js');
    return readMcpServer(flags.config, flags.server, cwd);
  }
  throw new UserError('no server to talk to', {
    hint: 'give --url http://127.0.0.1:8080/mcp, a command after -- (e.g. -- node dist/server.js), or --config mcp.json --server <name>',
  });
}

function parseHeaders(lines: readonly string[]): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const line of lines) {
    const colon = line.indexOf(':');
    const name = line.slice(0, colon).trim();
    if (colon <= 0 || !/^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/.test(name)) throw new UserError(`--header "${line}" is not "Name: value"`, { hint: 'e.g. --header "X-Api-Key: abc123"' });
    headers[name] = line.slice(colon + 1).trim();
  }
  return headers;
}

async function tokenFor(flags: TargetFlags, cwd: string): Promise<string | undefined> {
  if (flags.scope !== undefined && flags.as === undefined) throw new UserError('--scope goes with --as <sub>: it sets the scopes of the test token minted for that subject');
  if (flags.token !== undefined && flags.as !== undefined) throw new UserError('give --token or --as, not both');
  if (flags.token !== undefined) {
    // Any bearer token goes (JWT or opaque): only the server can judge it. What cannot go is what would not
    // survive as one header value: nothing, spaces, line breaks, non-ASCII.
    if (!/^[\x21-\x7e]+$/.test(flags.token)) {
      throw new UserError('--token must be the token alone: no spaces, line breaks or non-ASCII characters', { hint: 'pass the token without "Bearer ", e.g. --token "$TOKEN"' });
    }
    return flags.token;
  }
  if (flags.as === undefined) return undefined;
  const { mintDevToken } = await import('../auth/mint.js');
  // No audience: the dev audience, which `serve --dev` accepts on any port and over stdio alike.
  return mintDevToken({ sub: flags.as, scope: flags.scope, cwd });
}
