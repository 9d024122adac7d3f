/**
 * Every setting of `mcpctl serve`, declared once (src/setting-rows.ts): this table makes the command's flags and
 * help (src/commands/serve.ts), lays them over mcpctl.json (serve-flags.ts), validates the file (src/config.ts)
 * and produces the typed settings the assembly and each feature take. A feature brings its own section.
 */
import { authSection } from '../auth/schema.js';
import { rateLimitSection } from '../ratelimit/schema.js';
import { choice, duration, setting, settingsOf, size, wholeNumber, type ConfigOf, type SettingsOf } from '../setting-rows.js';
import { tracingSection } from '../tracing/schema.js';

export const serveTable = {
  /** A module exporting createServer(), served in-process (the `[entry]` operand). */
  entry: setting({ json: (zod) => zod.string().min(1) }),
  /** Or: an MCP server command spawned as a child, e.g. ["python", "server.py"] (what follows `--`). */
  command: setting({ json: (zod) => zod.array(zod.string()).min(1) }),
  transport: setting({ flag: '-t, --transport <kind>', help: 'front transport', default: 'stdio', ...choice(['stdio', 'http']) }),
  port: setting({
    flag: '-p, --port <port>',
    help: 'HTTP port (default {default}; 0 picks a free one)',
    default: 8080,
    json: (zod) => zod.number().int().min(0).max(65535),
    fromFlag: wholeNumber(0, 65535),
  }),
  host: setting({ flag: '--host <host>', help: 'HTTP bind address (default {default})', default: '127.0.0.1', json: (zod) => zod.string().min(1) }),
  path: setting({ flag: '--path <path>', help: 'HTTP endpoint path (default {default})', default: '/mcp', json: (zod) => zod.string().startsWith('/') }),
  stateless: setting({ flag: '--stateless', help: 'HTTP without sessions: every request stands alone', default: false, json: (zod) => zod.boolean() }),
  maxBody: setting({ flag: '--max-body <size>', help: 'largest HTTP request body (default {default})', default: '4mb', ...size('max body size') }),
  /** Default: maxBody. */
  maxMessage: setting({ flag: '--max-message <size>', help: "largest JSON-RPC message on a line (stdio, a child's stdout) (default: --max-body)", ...size('max message size') }),
  requestTimeout: setting({
    flag: '--request-timeout <duration>',
    help: 'answer a request with an error when it has no answer within this (default {default})',
    default: '5m',
    ...duration('request timeout'),
  }),
  /** Default: 1000, or 32 for a command back (the assembly decides). */
  maxSessions: setting({
    flag: '--max-sessions <n>',
    help: 'most concurrent HTTP sessions (default 1000; 32 with a command back)',
    json: (zod) => zod.number().int().positive(),
    fromFlag: wholeNumber(1, 1_000_000),
  }),
  /** Default: a quarter of maxSessions. */
  maxSessionsPerCaller: setting({
    flag: '--max-sessions-per-caller <n>',
    help: 'most HTTP sessions one caller may hold (default: a quarter of --max-sessions)',
    json: (zod) => zod.number().int().positive(),
    fromFlag: wholeNumber(1, 1_000_000),
  }),
  sessionIdle: setting({ flag: '--session-idle <duration>', help: 'close an HTTP session after this long without a request (default {default})', default: '30m', ...duration('session idle time') }),
  bodyTimeout: setting({ flag: '--body-timeout <duration>', help: "an HTTP request's head and body must arrive within this (default {default})", default: '30s', ...duration('body timeout') }),
  allowOrigins: setting({
    flag: '--allow-origin <origin>',
    help: 'allow browser requests from this Origin (repeatable)',
    repeat: 'append',
    default: [],
    json: (zod) => zod.array(zod.string()),
  }),
  allowHosts: setting({
    flag: '--allow-host <host>',
    help: 'accept this Host header besides the bound address (repeatable)',
    repeat: 'append',
    default: [],
    json: (zod) => zod.array(zod.string()),
  }),
  grace: setting({ flag: '--grace <duration>', help: 'on SIGINT/SIGTERM, how long calls in flight may finish (default {default})', default: '10s', ...duration('grace period') }),
  log: setting({ flag: '--log <format>', help: 'request log format on stderr', default: 'text', ...choice(['text', 'json']) }),
  record: setting({ flag: '--record <file>', help: 'append every request and its answer to a JSONL file (for mcpctl replay)', json: (zod) => zod.string() }),
  /** Key fragments whose values are masked on spans and in the record file, besides the default ones. */
  redact: setting({ json: (zod) => zod.array(zod.string().min(1)) }),
  /** false: mask only what `redact` lists, not the default fragments (token, secret, password, key, authorization). */
  redactDefaults: setting({ json: (zod) => zod.boolean() }),
  /** Variables a child server gets although mcpctl withholds them (LANGFUSE_SECRET_KEY…); never MCPCTL_TOKEN. */
  childEnv: setting({
    flag: '--child-env <name>',
    help: 'pass this variable to a child server although mcpctl withholds it, e.g. LANGFUSE_SECRET_KEY (repeatable)',
    repeat: 'append',
    json: (zod) => zod.array(zod.string().min(1).refine((name) => name !== 'MCPCTL_TOKEN', { message: "the caller's token never reaches a child server" })),
  }),
  auth: authSection,
  rateLimit: rateLimitSection,
  tracing: tracingSection,
};

/** mcpctl.json as the table describes it (src/config.ts adds `$schema`). */
export type ServeConfig = ConfigOf<typeof serveTable>;
/** What `serve` runs with: flags laid over mcpctl.json, defaults filled in, durations in ms, sizes in bytes, rates as budgets. */
export type ServeSettings = SettingsOf<typeof serveTable>;

/** The typed settings from a checked config (flags merged); a value that does not parse is one line. */
export function toServeSettings(config: ServeConfig): ServeSettings {
  return settingsOf(serveTable, config);
}
