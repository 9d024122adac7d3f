import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { createLogger } from '../../src/log.js';
import { createRateLimit } from '../../src/ratelimit/index.js';
import { rateLimitSection, type RateLimitConfig } from '../../src/ratelimit/schema.js';
import { settingsOf } from '../../src/setting-rows.js';
import { freePort } from '../helpers/ports.js';
import { connectHttp, echoServer, mcpctlBin, repoRoot, startServe } from '../helpers/serve.js';

const environment = { logger: createLogger({ write: () => {} }) };
/** The `rateLimit` section of mcpctl.json as createRateLimit takes it, through the settings table. */
const rateLimit = (config: RateLimitConfig) => settingsOf(rateLimitSection.keys, config);

describe('rate-limit config', () => {
  it('sets no limiter when no budget is given', async () => {
    expect(await createRateLimit(undefined, environment)).toBeUndefined();
    expect(await createRateLimit(rateLimit({}), environment)).toBeUndefined();
  });

  it('describes the budgets it enforces', async () => {
    const feature = await createRateLimit(rateLimit({ default: '60/min', burst: 100, tools: { search: '10/min' } }), environment);
    expect(feature?.description).toBe('rate limits 60/min, burst 100 per caller, search 10/min per caller (in memory)');
  });

  it.each([
    [{ burst: 5 }, 'rateLimit.burst sets the size of the per-caller bucket, but no per-caller rate is set'],
    [{ redis: 'redis://127.0.0.1:6379/0' }, 'a rate-limit store is configured but no rate limit is set'],
    [{ default: '1/s', redis: 'localhost:6379' }, 'invalid Redis URL "localhost:6379": it must start with redis:// or rediss://'],
    [{ tools: { search: 'often' } }, 'invalid rate "often" for rateLimit.tools.search (--tool-rate-limit search=…)'],
  ])('refuses %j with one clear line', async (config, message) => {
    await expect((async () => createRateLimit(rateLimit(config), environment))()).rejects.toThrow(message);
  });

  it('makes serve exit 2 with one line for a bad --rate-limit', () => {
    const result = spawnSync(process.execPath, [mcpctlBin, 'serve', echoServer, '--rate-limit', 'lots'], { cwd: repoRoot, encoding: 'utf8', timeout: 20_000 });
    expect(result.status).toBe(2);
    expect(result.stderr).toContain('"rateLimit.default" (got "lots"): use calls/period, e.g. 60/min');
    expect(result.stderr).not.toMatch(/\n\s+at /);
  });

  it('starts without Redis, warns, and limits per instance until it is reachable', async () => {
    const port = await freePort(); // nothing listens there
    // 3/h: the session's initialize spends one, two calls the rest.
    const serve = await startServe([echoServer, '--redis', `redis://127.0.0.1:${port}/0`, '--rate-limit', '3/h']);
    try {
      expect(serve.stderr()).toContain(`cannot reach Redis at redis://127.0.0.1:${port}/0 yet`);
      const client = await connectHttp(serve.url);
      const outcomes = [];
      for (let i = 0; i < 3; i++) outcomes.push(await client.callTool({ name: 'echo', arguments: { message: 'x' } }).then(() => 'ok', (error: { code?: number }) => error.code));
      expect(outcomes).toEqual(['ok', 'ok', 429]);
      await client.close();
    } finally {
      expect(await serve.stop()).toBe(0);
    }
  });
});
