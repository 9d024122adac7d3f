import { Redis } from 'ioredis';
import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startRedisServer, type RedisServer } from '../setup/redis-server.js';
import { connectHttp, echoServer, startServe, type RunningServe } from '../helpers/serve.js';
import { canStartRedis } from './redis.js';

// This file kills and restarts a redis-server of its own: the run's shared one keeps serving the other files.
const haveRedis = canStartRedis();

/** A bound for "answered within a bounded time": the client's command timeout (500 ms) plus a wide margin. */
const boundMs = 2500;

async function timedCall(client: Client, name = 'echo'): Promise<{ outcome: string | number; ms: number }> {
  const started = performance.now();
  const outcome = await client.callTool({ name, arguments: { message: 'x' } }).then(
    () => 'ok',
    (error: { code?: number; message: string }) => (error.code === 503 ? `503 ${error.message}` : (error.code ?? error.message)),
  );
  return { outcome, ms: performance.now() - started };
}

async function waitFor(check: () => boolean | Promise<boolean>, what: string, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

describe.skipIf(!haveRedis)('a redis-server of its own: round trips and outages', () => {
  let redis: RedisServer;
  let open: RunningServe[];
  let closed: RunningServe;
  let clients: { a: Client; b: Client; closed: Client };

  beforeAll(async () => {
    redis = await startRedisServer();
    const args = [echoServer, '--redis', redis.url(0), '--rate-limit', '4/h'];
    [open, closed] = await Promise.all([Promise.all([startServe(args), startServe(args)]), startServe([...args, '--on-store-error', 'closed'])]);
    const [a, b, c] = await Promise.all([connectHttp(open[0]!.url), connectHttp(open[1]!.url), connectHttp(closed.url)]);
    clients = { a: a!, b: b!, closed: c! };
  });
  afterAll(async () => {
    await Promise.all(Object.values(clients ?? {}).map((client) => client.close()));
    for (const serve of [...(open ?? []), closed]) if (serve) expect(await serve.stop()).toBe(0);
    await redis?.stop();
  });

  async function connectedClients(): Promise<number> {
    const probe = new Redis(redis.url(0), { lazyConnect: true, maxRetriesPerRequest: 0 });
    try {
      await probe.connect();
      // Counted once past ioredis' ready check (SELECT, INFO): a bare TCP connection is not ready to take checks.
      const lines = ((await probe.client('LIST')) as string).trim().split('\n');
      return lines.filter((line) => !/ cmd=(NULL|client\|list) /.test(line)).length;
    } catch {
      return 0;
    } finally {
      probe.disconnect();
    }
  }

  it('spends one Redis round trip per check', async () => {
    await timedCall(clients.a, 'whoami'); // loads the script: EVALSHA, NOSCRIPT, EVAL once per instance
    const admin = new Redis(redis.url(0));
    await admin.config('RESETSTAT');
    await timedCall(clients.a, 'whoami');
    await timedCall(clients.a, 'whoami');
    const stats = (await admin.info('commandstats')).split('\n').filter((line) => line.startsWith('cmdstat_'));
    await admin.flushdb();
    await admin.quit();
    // The script's own HMGET, HSET, PEXPIRE and TIME are counted too, but they run inside Redis, in the EVALSHA.
    const sent = stats.filter((line) => !/^cmdstat_(config\|resetstat|info|hmget|hset|pexpire|time):/.test(line));
    expect(sent.map((line) => line.slice(0, line.indexOf(',')))).toEqual(['cmdstat_evalsha:calls=2']);
  });

  it('shares the budget, falls back or refuses while Redis is down, and shares it again once it is back', async () => {
    // Shared: four calls between the two open instances, then both refuse.
    expect((await Promise.all([timedCall(clients.a), timedCall(clients.b), timedCall(clients.a), timedCall(clients.b)])).map((call) => call.outcome)).toEqual(['ok', 'ok', 'ok', 'ok']);
    expect((await timedCall(clients.a)).outcome).toBe(429);
    expect((await timedCall(clients.b)).outcome).toBe(429);

    await redis.kill();

    // Open: answered at once, from per-instance buckets (a fresh 4/h in each instance).
    const fallback = await Promise.all(Array.from({ length: 6 }, () => timedCall(clients.a)));
    for (const call of fallback) expect(call.ms).toBeLessThan(boundMs);
    expect(fallback.filter((call) => call.outcome === 'ok')).toHaveLength(4);
    expect(fallback.filter((call) => call.outcome === 429)).toHaveLength(2);
    // Closed: refused with a clear error, at once.
    const refused = await timedCall(clients.closed);
    expect(refused.ms).toBeLessThan(boundMs);
    expect(refused.outcome).toMatch(/^503 .*rate-limit store is unreachable.*--on-store-error closed/);
    for (const serve of [open[0]!, closed]) expect(serve.stderr().match(/rate-limit store redis:\/\/127\.0\.0\.1:\d+\/0 is unavailable/g)).toHaveLength(1);
    expect(open[0]!.stderr()).toContain('using per-instance limits until it is back');

    // Back (empty: the test server keeps nothing on disk): once the instances have reconnected, the budget is shared again.
    redis = await startRedisServer(redis.port);
    await waitFor(async () => (await connectedClients()) >= 3, 'the three instances to reconnect to Redis');
    // A check that failed as Redis died makes an instance skip Redis for 1 s (the failover's cooldown): let it pass.
    await new Promise((resolve) => setTimeout(resolve, 1100));
    expect((await Promise.all([timedCall(clients.a), timedCall(clients.a), timedCall(clients.a)])).map((call) => call.outcome)).toEqual(['ok', 'ok', 'ok']);
    expect((await Promise.all([timedCall(clients.b), timedCall(clients.b)])).map((call) => call.outcome).sort()).toEqual(['ok', 429].sort());
    expect((await timedCall(clients.closed)).outcome).toBe(429);
    expect(open[0]!.stderr()).toContain('is back: shared limits resume');
    expect(closed.stderr()).toContain('is back: shared limits resume');
  });

  it('answers within the bound when Redis hangs instead of dying', async () => {
    process.kill(redis.pid, 'SIGSTOP');
    try {
      const [fromOpen, fromClosed] = await Promise.all([timedCall(clients.b, 'fail'), timedCall(clients.closed, 'fail')]);
      expect(fromOpen.ms).toBeLessThan(boundMs);
      expect(fromOpen.outcome).toBe('ok');
      expect(fromClosed.ms).toBeLessThan(boundMs);
      expect(fromClosed.outcome).toMatch(/^503 /);
    } finally {
      process.kill(redis.pid, 'SIGCONT');
    }
  });
});
