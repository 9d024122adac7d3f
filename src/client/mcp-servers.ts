import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { UserError } from '../errors.js';
import { parseHttpUrl } from '../http-url.js';
import type { Target } from './target.js';

type Entry = Record<string, unknown>;

/**
 * Reads one server from an `mcpServers` file, the format Claude Desktop and Cursor use:
 * `{"mcpServers": {"name": {"command": "node", "args": [...], "env": {...}} | {"url": "...", "headers": {...}}}}`.
 * VS Code's `{"servers": {...}}` is read the same way. With one server in the file, --server may be left out.
 */
export function readMcpServer(file: string, name: string | undefined, cwd: string): Target {
  const path = resolve(cwd, file);
  const servers = readServers(path, file);
  const names = Object.keys(servers);
  const chosen = name ?? (names.length === 1 ? names[0]! : undefined);
  if (chosen === undefined) {
    throw new UserError(names.length === 0 ? `${file} lists no servers` : `${file} lists ${names.length} servers: pick one with --server`, {
      hint: names.length === 0 ? 'add one under "mcpServers"' : `servers: ${names.join(', ')}`,
    });
  }
  const entry = servers[chosen];
  if (entry === undefined) throw new UserError(`${file} has no server "${chosen}"`, { hint: names.length ? `servers: ${names.join(', ')}` : undefined });
  if (typeof entry !== 'object' || entry === null || Array.isArray(entry)) throw new UserError(`${file}: server "${chosen}" must be an object`);
  return toTarget(entry as Entry, `${file}: server "${chosen}"`, dirname(path));
}

function readServers(path: string, file: string): Record<string, unknown> {
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new UserError(code ? `cannot read ${file}: ${code}` : `${file} is not valid JSON: ${(error as Error).message}`);
  }
  const servers = (raw as { mcpServers?: unknown; servers?: unknown } | null)?.mcpServers ?? (raw as { servers?: unknown } | null)?.servers;
  if (typeof servers !== 'object' || servers === null || Array.isArray(servers)) {
    throw new UserError(`${file} has no "mcpServers" object`, { hint: 'expected {"mcpServers": {"name": {"command": "...", "args": [...]}}}' });
  }
  return servers as Record<string, unknown>;
}

function toTarget(entry: Entry, where: string, baseDir: string): Target {
  if (typeof entry.url === 'string') {
    return { kind: 'http', url: parseHttpUrl(entry.url, `${where}: "url"`), headers: stringRecord(entry.headers, `${where}: "headers"`) };
  }
  if (typeof entry.command !== 'string' || entry.command === '') throw new UserError(`${where} needs a "command" (stdio) or a "url" (HTTP)`);
  const args = entry.args ?? [];
  if (!Array.isArray(args) || !args.every((arg) => typeof arg === 'string')) throw new UserError(`${where}: "args" must be an array of strings`);
  if (entry.cwd !== undefined && typeof entry.cwd !== 'string') throw new UserError(`${where}: "cwd" must be a string`);
  return {
    kind: 'stdio',
    command: entry.command,
    args,
    env: stringRecord(entry.env, `${where}: "env"`),
    cwd: entry.cwd === undefined ? undefined : resolve(baseDir, entry.cwd),
  };
}

function stringRecord(value: unknown, where: string): Record<string, string> {
  if (value === undefined) return {};
  if (typeof value !== 'object' || value === null || Array.isArray(value) || !Object.values(value).every((item) => typeof item === 'string')) {
    throw new UserError(`${where} must be an object of strings`);
  }
  return value as Record<string, string>;
}
