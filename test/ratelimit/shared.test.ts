import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseRate } from '../../src/ratelimit/rate.js';
import { RedisLimiter } from '../../src/ratelimit/redis-limiter.js';
import { connectHttp, echoServer, startServe, type RunningServe } from '../helpers/serve.js';
import { testRedisUrl } from './redis.js';

const redisUrl = testRedisUrl(2);

describe.skipIf(!redisUrl)('budgets shared through Redis', () => {
  let admin: Redis;
  beforeAll(async () => {
    admin = new Redis(redisUrl!);
    await admin.flushdb();
  });
  afterAll(() => admin.quit());

  it('admits exactly 50 of 200 concurrent checks from four connections', async () => {
    const limits = { caller: parseRate('50/h', 'test'), tools: new Map() };
    const connections = Array.from({ length: 4 }, () => new Redis(redisUrl!));
    const limiters = connections.map((redis) => new RedisLimiter(redis, limits, { prefix: 'exact:' }));
    const verdicts = await Promise.all(Array.from({ length: 200 }, (_, i) => limiters[i % 4]!.take('alice', 'echo')));
    expect(verdicts.filter((verdict) => verdict === undefined)).toHaveLength(50);
    expect(verdicts.filter((verdict) => verdict?.scope === 'caller')).toHaveLength(150);
    await Promise.all(connections.map((redis) => redis.quit()));
  });

  describe('two mcpctl serve processes on one redis-server', () => {
    let serves: RunningServe[];
    beforeAll(async () => {
      const args = [echoServer, '--redis', redisUrl!, '--rate-limit', '50/h', '--tool-rate-limit', 'fail=3/h'];
      serves = await Promise.all([startServe(args), startServe(args)]);
    });
    afterAll(async () => {
      for (const serve of serves) expect(await serve.stop()).toBe(0);
    });

    it('admit exactly the shared budget between them', async () => {
      const clients = await Promise.all(serves.map((serve) => connectHttp(serve.url)));
      const outcomes = await Promise.all(
        Array.from({ length: 200 }, (_, i) =>
          clients[i % 2]!.callTool({ name: 'echo', arguments: { message: String(i) } }).then(
            () => 'ok',
            (error: { code?: number }) => error.code,
          ),
        ),
      );
      // The two sessions' initializes spent 2 of the 50.
      expect(outcomes.filter((outcome) => outcome === 'ok')).toHaveLength(48);
      expect(outcomes.filter((outcome) => outcome === 429)).toHaveLength(152);
      await Promise.all(clients.map((client) => client.close()));
      expect(serves[0]!.stderr()).toContain('shared through redis://127.0.0.1:');
    });

    it('share per-tool budgets too', async () => {
      await admin.flushdb();
      const clients = await Promise.all(serves.map((serve) => connectHttp(serve.url)));
      const outcomes = await Promise.all(
        Array.from({ length: 10 }, (_, i) => clients[i % 2]!.callTool({ name: 'fail', arguments: {} }).then(() => 'ok', (error: { code?: number }) => error.code)),
      );
      expect(outcomes.filter((outcome) => outcome === 'ok')).toHaveLength(3);
      await Promise.all(clients.map((client) => client.close()));
    });
  });
});
