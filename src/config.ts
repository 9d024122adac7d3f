import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { z } from 'zod';
import { authSchema } from './auth/schema.js';
import { durationValue, sizeValue } from './config-values.js';
import { UserError } from './errors.js';
import { whyUnreadable } from './file-errors.js';
import { rateLimitSchema } from './ratelimit/schema.js';
import { tracingSchema } from './tracing/schema.js';


/** mcpctl.json: one schema for the file; `mcpctl serve` flags override its keys. */
export const configSchema = z
  .object({
    $schema: z.string().optional(),
    /** A module exporting createServer(), served in-process. */
    entry: z.string().min(1).optional(),
    /** Or: an MCP server command spawned as a child, e.g. ["python", "server.py"]. */
    command: z.array(z.string()).min(1).optional(),
    transport: z.enum(['stdio', 'http']).optional(),
    port: z.number().int().min(0).max(65535).optional(),
    host: z.string().min(1).optional(),
    path: z.string().startsWith('/').optional(),
    stateless: z.boolean().optional(),
    maxBody: sizeValue.optional(),
    maxMessage: sizeValue.optional(),
    requestTimeout: durationValue.optional(),
    maxSessions: z.number().int().positive().optional(),
    maxSessionsPerCaller: z.number().int().positive().optional(),
    sessionIdle: durationValue.optional(),
    bodyTimeout: durationValue.optional(),
    allowOrigins: z.array(z.string()).optional(),
    allowHosts: z.array(z.string()).optional(),
    grace: durationValue.optional(),
    log: z.enum(['text', 'json']).optional(),
    record: z.string().optional(),
    /** Key fragments whose values are masked on spans and in the record file, besides the default ones. */
    redact: z.array(z.string().min(1)).optional(),
    /** false: mask only what `redact` lists, not the default fragments (token, secret, password, key, authorization). */
    redactDefaults: z.boolean().optional(),
    /** Variables a child server gets although mcpctl withholds them (LANGFUSE_SECRET_KEY…); never MCPCTL_TOKEN. */
    childEnv: z.array(z.string().min(1).refine((name) => name !== 'MCPCTL_TOKEN', { message: "the caller's token never reaches a child server" })).optional(),
    auth: authSchema.optional(),
    rateLimit: rateLimitSchema.optional(),
    tracing: tracingSchema.optional(),
  })
  .strict();
export type Config = z.infer<typeof configSchema>;

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
