import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { z } from 'zod';
import { UserError } from './errors.js';
import { whyUnreadable } from './file-errors.js';
import { serveTable, type ServeConfig } from './serve/settings.js';
import { shapeOf } from './setting-rows.js';

/** mcpctl.json: `$schema` and every key of the settings table (src/serve/settings.ts); `mcpctl serve` flags override them. */
export type Config = { $schema?: string } & ServeConfig;

/** One schema for the file, made from the table; strict at every level, so an unknown key is named. */
export const configSchema: z.ZodType<Config> = z.object({ $schema: z.string().optional(), ...shapeOf(serveTable, z) }).strict() as z.ZodType<Config>;

export const defaultConfigFile = 'mcpctl.json';

/**
 * Reads and validates a config file. `explicit` is true when the user named it (--config): then a missing file
 * is an error; the default mcpctl.json is optional.
 */
export function loadConfig(file = defaultConfigFile, explicit = false, cwd = process.cwd()): Config {
  const path = resolve(cwd, file);
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    if (!explicit && (error as NodeJS.ErrnoException).code === 'ENOENT') return {};
    throw new UserError(`cannot read config file ${file}: ${whyUnreadable(error)}`);
  }
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (error) {
    throw new UserError(`${file} is not valid JSON: ${(error as Error).message}`);
  }
  return checkConfig(raw, file);
}

/**
 * Validates a config against the one schema: the file as read, and again once the flags are laid over it, so a
 * bad flag value (a URL that is none, say) gets the same one-line answer as a bad key.
 */
export function checkConfig(raw: unknown, source: string): Config {
  const parsed = configSchema.safeParse(raw, { reportInput: true });
  if (!parsed.success) throw new UserError(`${source}: ${describeIssue(parsed.error.issues[0]!)}`, { hint: 'see "mcpctl serve --help" and the README for the flags and the config keys they set' });
  return parsed.data;
}

function describeIssue(issue: z.core.$ZodIssue): string {
  const at = issue.path.map(String).join('.');
  if (issue.code === 'unrecognized_keys') {
    const keys = issue.keys.map((key) => (at ? `${at}.${key}` : key));
    return `unknown key ${keys.map((key) => `"${key}"`).join(', ')}`;
  }
  const got = typeof issue.input === 'string' || typeof issue.input === 'number' ? ` (got ${JSON.stringify(issue.input)})` : '';
  return `"${at || '(root)'}"${got}: ${issue.message}`;
}
