import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { Config } from '../../src/config.js';
import { applyServeFlags } from '../../src/serve/serve-flags.js';
import { serveTable, toServeSettings } from '../../src/serve/settings.js';
import { flagRows } from '../../src/setting-rows.js';
import { runCli } from '../helpers/cli.js';
import { modulesLoadedBy } from '../helpers/imports.js';

/** Lays flags (by the key they set) over a config, as `mcpctl serve` does once commander has read them. */
const withFlags = (config: Config, flags: Record<string, unknown>): Config => applyServeFlags(config, [], undefined, new Map(Object.entries(flags)));

describe('the serve settings table: flags over mcpctl.json', () => {
  it('has one flag per key path, each with its help', () => {
    const rows = flagRows(serveTable);
    expect(new Set(rows.map((row) => row.key)).size).toBe(rows.length);
    expect(rows.find((row) => row.key === 'auth.jwksUrl')).toMatchObject({ flags: '--jwks-url <url>', repeatable: false });
    expect(rows.find((row) => row.key === 'auth')).toMatchObject({ flags: '--no-auth' });
    expect(rows.find((row) => row.key === 'maxBody')?.description).toBe('largest HTTP request body (default 4mb)');
    for (const row of rows) expect(row.description, row.flags).not.toBe('');
  });

  it('a given flag wins over its key; a key without a flag stays', () => {
    expect(withFlags({ port: 1, host: 'example.test', transport: 'stdio' }, { port: '0', transport: 'http' })).toEqual({ port: 0, host: 'example.test', transport: 'http' });
    expect(withFlags({ grace: '1s' }, { grace: undefined })).toEqual({ grace: '1s' });
  });

  it('reads whole numbers and ratios with the flag named in the refusal', () => {
    expect(withFlags({}, { maxSessions: '12', maxSessionsPerCaller: '3' })).toEqual({ maxSessions: 12, maxSessionsPerCaller: 3 });
    expect(() => withFlags({}, { port: 'http' })).toThrow('--port must be a whole number from 0 to 65535, got "http"');
    expect(() => withFlags({}, { maxSessions: '0' })).toThrow('--max-sessions must be a whole number from 1 to 1000000, got "0"');
    expect(withFlags({}, { 'tracing.sample': '0.25' })).toEqual({ tracing: { sample: 0.25 } });
    expect(() => withFlags({}, { 'tracing.sample': '2' })).toThrow('--trace-sample must be a number from 0 to 1, got "2"');
  });

  it('merges repeated flags: added to a list, replacing a list, or joined into a map', () => {
    expect(withFlags({ allowOrigins: ['https://a.test'], childEnv: ['A'] }, { allowOrigins: ['https://b.test'], allowHosts: ['h.test'], childEnv: ['B'] })).toEqual({
      allowOrigins: ['https://a.test', 'https://b.test'],
      allowHosts: ['h.test'],
      childEnv: ['A', 'B'],
    });
    expect(withFlags({ auth: { authorizationServers: ['https://x.test/'] } }, { 'auth.authorizationServers': ['https://y.test/'] })).toEqual({ auth: { authorizationServers: ['https://y.test/'] } });
    expect(withFlags({ rateLimit: { tools: { search: '1/s', fetch: '1/s' } } }, { 'rateLimit.tools': ['search=5/min', 'a=b=2/h'] })).toEqual({
      rateLimit: { tools: { search: '5/min', fetch: '1/s', 'a=b': '2/h' } },
    });
    expect(() => withFlags({}, { 'rateLimit.tools': ['search'] })).toThrow('--tool-rate-limit takes tool=rate, e.g. search=10/min; got "search"');
    expect(() => withFlags({}, { 'rateLimit.tools': ['search='] })).toThrow('--tool-rate-limit takes tool=rate');
    expect(withFlags({}, { 'auth.algorithms': 'ES256, RS256,' })).toEqual({ auth: { algorithms: ['ES256', 'RS256'] } });
  });

  it('a section exists when mcpctl.json has it or a flag sets one of its keys; --no-auth drops it, flags and all', () => {
    expect(withFlags({}, { auth: true })).toEqual({});
    expect(withFlags({ auth: {}, rateLimit: {} }, { auth: true })).toEqual({ auth: {}, rateLimit: {} });
    expect(withFlags({}, { auth: true, 'auth.dev': true, 'rateLimit.redis': 'redis://r.test' })).toEqual({ auth: { dev: true }, rateLimit: { redis: 'redis://r.test' } });
    expect(withFlags({ auth: { issuer: 'https://i.test/' }, entry: 'server.js' }, { auth: false, 'auth.dev': true })).toEqual({ entry: 'server.js' });
  });

  it('a module operand or a command after -- replaces the other', () => {
    expect(applyServeFlags({ command: ['node', 'a.js'] }, ['b.js'], undefined, new Map())).toEqual({ entry: 'b.js' });
    expect(applyServeFlags({ entry: 'b.js' }, [], ['node', 'a.js'], new Map())).toEqual({ command: ['node', 'a.js'] });
    expect(() => applyServeFlags({}, ['a.js'], ['node', 'b.js'], new Map())).toThrow('give either a module or a command after --, not both');
    expect(() => applyServeFlags({}, ['a.js', 'b.js'], undefined, new Map())).toThrow('serve takes one module, got 2: a.js b.js');
  });
});

describe('the typed settings', () => {
  it('fill in the defaults, in ms and bytes', () => {
    expect(toServeSettings({ entry: 'server.js' })).toEqual({
      entry: 'server.js',
      command: undefined,
      transport: 'stdio',
      port: 8080,
      host: '127.0.0.1',
      path: '/mcp',
      stateless: false,
      maxBody: 4 * 1024 * 1024,
      maxMessage: undefined,
      requestTimeout: 300_000,
      maxSessions: undefined,
      maxSessionsPerCaller: undefined,
      sessionIdle: 1_800_000,
      bodyTimeout: 30_000,
      allowOrigins: [],
      allowHosts: [],
      grace: 10_000,
      log: 'text',
      record: undefined,
      redact: undefined,
      redactDefaults: undefined,
      childEnv: undefined,
      auth: undefined,
      rateLimit: undefined,
      tracing: undefined,
    });
  });

  it('read durations with their unit, and a bare JSON number as ms; a flag without a unit is refused with a guess', () => {
    expect(toServeSettings({ grace: 250, requestTimeout: '2m', sessionIdle: '1.5s', maxBody: '16kb', maxMessage: 100 })).toMatchObject({
      grace: 250,
      requestTimeout: 120_000,
      sessionIdle: 1500,
      maxBody: 16 * 1024,
      maxMessage: 100,
    });
    expect(() => toServeSettings(withFlags({}, { grace: '100' }))).toThrow(
      expect.objectContaining({ name: 'UserError', message: 'invalid grace period "100": it needs a unit', hint: 'did you mean 100s? (units: ms, s, m, h)' }),
    );
    expect(() => toServeSettings({ bodyTimeout: 'soon' })).toThrow('invalid body timeout "soon"');
    expect(() => toServeSettings({ maxBody: 'huge' })).toThrow('invalid max body size "huge"');
  });

  it('give each feature typed values: audiences as a list, the JWKS URL checked, rates as budgets, the sample as a number', () => {
    const settings = toServeSettings({
      auth: { audience: 'https://mcp.test/mcp', jwksUrl: 'https://idp.test/jwks.json', maxTokenAge: '1h', jwksRefresh: 60_000 },
      rateLimit: { default: '60/min', tools: { search: '10/min' }, redis: 'redis://127.0.0.1:6379/0' },
      tracing: {},
    });
    expect(settings.auth).toMatchObject({ audience: ['https://mcp.test/mcp'], clockTolerance: 30_000, maxTokenAge: 3_600_000, jwksRefresh: 60_000 });
    expect(settings.auth?.jwksUrl).toBeInstanceOf(URL);
    expect(settings.auth?.jwksUrl?.href).toBe('https://idp.test/jwks.json');
    expect(settings.rateLimit?.default).toMatchObject({ label: '60/min', capacity: 60 });
    expect([...settings.rateLimit!.tools].map(([name, budget]) => [name, budget.label])).toEqual([['search', '10/min']]);
    expect(settings.rateLimit?.redis).toBe('redis://127.0.0.1:6379/0');
    expect(settings.tracing).toMatchObject({ sample: 1, maxPayload: 16 * 1024 });
    expect(() => toServeSettings({ auth: { jwksUrl: 'ftp://idp.test/jwks' } })).toThrow('--jwks-url must be an http(s) URL, got ftp:');
    expect(() => toServeSettings({ rateLimit: { redis: 'localhost:6379' } })).toThrow('invalid Redis URL "localhost:6379": it must start with redis:// or rediss://');
    expect(() => toServeSettings({ auth: { clockTolerance: '30' } })).toThrow('invalid clock tolerance "30": it needs a unit');
  });
});

const cliImports = fileURLToPath(new URL('./fixtures/cli-imports.mjs', import.meta.url));

const heavy = /node_modules\/(zod|jose|ioredis|@opentelemetry|@langfuse)\//;

describe('the table in the help', () => {
  it('loads with the CLI for free: `serve --help` imports no zod, jose, ioredis or OpenTelemetry', async () => {
    const { modules } = await modulesLoadedBy(cliImports, ['serve', '--help']);
    expect(modules.some((url) => url.endsWith('/dist/serve/settings.js'))).toBe(true);
    expect(modules.filter((url) => heavy.test(url))).toEqual([]);
  });

  it('(the check above sees zod once a serve reads its config)', async () => {
    const { modules } = await modulesLoadedBy(cliImports, ['serve', '--config', 'nowhere.json']);
    expect(modules.some((url) => /node_modules\/zod\//.test(url))).toBe(true);
  });

  it('lists the keys of mcpctl.json', async () => {
    const { stdout } = await runCli(['serve', '--help']);
    expect(stdout).toContain(`
Keys in mcpctl.json (flags override them): entry, command, transport, port, host, path, stateless, maxBody,
maxMessage, requestTimeout, maxSessions, maxSessionsPerCaller, sessionIdle, bodyTimeout, allowOrigins, allowHosts,
grace, log, record, redact, redactDefaults, childEnv, auth{…}, rateLimit{…}, tracing{…}.`);
  });
});
