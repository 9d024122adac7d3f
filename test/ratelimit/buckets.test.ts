import { Redis } from 'ioredis';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import type { Limiter, Limits, Refusal } from '../../src/ratelimit/limiter.js';
import { MemoryLimiter } from '../../src/ratelimit/memory-limiter.js';
import { parseRate } from '../../src/ratelimit/rate.js';
import { RedisLimiter } from '../../src/ratelimit/redis-limiter.js';
import { testRedisUrl } from './redis.js';

function limits(caller: string | undefined, tools: Record<string, string> = {}, burst?: number): Limits {
  return {
    caller: caller === undefined ? undefined : parseRate(caller, 'test', burst),
    tools: new Map(Object.entries(tools).map(([name, rate]) => [name, parseRate(rate, 'test')])),
  };
}

/** A clock the test moves by hand; Redis gets it as epoch-like ms, the memory store as is. */
function manualClock() {
  let now = 1_700_000_000_000;
  return { now: () => now, advance: (ms: number) => void (now += ms) };
}

async function admitted(limiter: Limiter, calls: number, sub = 'alice', target?: string): Promise<number> {
  let count = 0;
  for (let i = 0; i < calls; i++) if ((await limiter.take(sub, target)) === undefined) count++;
  return count;
}

async function refusal(limiter: Limiter, sub: string, target?: string): Promise<Refusal | undefined> {
  return limiter.take(sub, target);
}

const redisUrl = testRedisUrl(1);
const redis = redisUrl === undefined ? undefined : new Redis(redisUrl);
afterAll(() => redis?.quit());

const stores: [string, ((l: Limits, now: () => number) => Limiter) | undefined][] = [
  ['memory', (l, now) => new MemoryLimiter(l, { now })],
  ['redis', redis && ((l, now) => new RedisLimiter(redis, l, { now }))],
];

describe.each(stores)('token buckets in %s', (_name, create) => {
  beforeEach(async () => {
    await redis?.flushdb();
  });

  it.skipIf(!create)('admits a burst up to the capacity, then refills steadily', async () => {
    const clock = manualClock();
    const limiter = create!(limits('60/min'), clock.now);
    expect(await admitted(limiter, 70)).toBe(60);
    expect(await refusal(limiter, 'alice')).toMatchObject({ scope: 'caller', budget: { label: '60/min' } });
    expect(Math.ceil((await refusal(limiter, 'alice'))!.retryAfterMs)).toBe(1000);
    clock.advance(400);
    expect(Math.ceil((await refusal(limiter, 'alice'))!.retryAfterMs)).toBe(600);
    clock.advance(600);
    expect(await admitted(limiter, 3)).toBe(1);
    clock.advance(30_000);
    expect(await admitted(limiter, 40)).toBe(30);
    clock.advance(3_600_000);
    expect(await admitted(limiter, 100)).toBe(60);
  });

  it.skipIf(!create)('keeps callers apart', async () => {
    const clock = manualClock();
    const limiter = create!(limits('2/min'), clock.now);
    expect(await admitted(limiter, 5, 'alice')).toBe(2);
    expect(await admitted(limiter, 5, 'bob')).toBe(2);
  });

  it.skipIf(!create)('sizes the bucket by burst when set', async () => {
    const clock = manualClock();
    const limiter = create!(limits('60/min', {}, 5), clock.now);
    expect(await admitted(limiter, 10)).toBe(5);
    clock.advance(2000);
    expect(await admitted(limiter, 10)).toBe(2);
    clock.advance(600_000);
    expect(await admitted(limiter, 10)).toBe(5);
  });

  it.skipIf(!create)('handles fractional rates', async () => {
    const clock = manualClock();
    const limiter = create!(limits('0.5/s', { search: '5/10s' }), clock.now);
    expect(await admitted(limiter, 3)).toBe(1);
    expect(Math.ceil((await refusal(limiter, 'alice'))!.retryAfterMs)).toBe(2000);
    clock.advance(1999);
    expect(await admitted(limiter, 1)).toBe(0);
    clock.advance(1);
    expect(await admitted(limiter, 1)).toBe(1);

    const tools = create!(limits(undefined, { search: '5/10s' }), clock.now);
    expect(await admitted(tools, 10, 'alice', 'search')).toBe(5);
    expect(Math.ceil((await refusal(tools, 'alice', 'search'))!.retryAfterMs)).toBe(2000);
    clock.advance(5000);
    expect(await admitted(tools, 10, 'alice', 'search')).toBe(2);
  });

  it.skipIf(!create)('applies a per-tool override on top of the caller budget, both or neither', async () => {
    const clock = manualClock();
    const limiter = create!(limits('3/min', { search: '1/min' }), clock.now);
    expect(await refusal(limiter, 'alice', 'search')).toBeUndefined();
    expect(await refusal(limiter, 'alice', 'search')).toMatchObject({ scope: 'tool', budget: { label: '1/min' } });
    // The refused search did not spend the caller's budget: two calls of other tools are left.
    expect(await admitted(limiter, 5, 'alice', 'echo')).toBe(2);
    expect(await refusal(limiter, 'alice', 'echo')).toMatchObject({ scope: 'caller', budget: { label: '3/min' } });
    expect(await refusal(limiter, 'bob', 'search')).toBeUndefined();
  });

  it.skipIf(!create)('reports the longer wait when both buckets are dry', async () => {
    const clock = manualClock();
    const limiter = create!(limits('1/s', { search: '1/min' }), clock.now);
    expect(await refusal(limiter, 'alice', 'search')).toBeUndefined();
    const refused = await refusal(limiter, 'alice', 'search');
    expect(refused).toMatchObject({ scope: 'tool' });
    expect(Math.ceil(refused!.retryAfterMs)).toBe(60_000);
  });

  it.skipIf(!create)('leaves tools without an override to the caller budget alone', async () => {
    const clock = manualClock();
    const limiter = create!(limits(undefined, { search: '1/min' }), clock.now);
    expect(await admitted(limiter, 100, 'alice', 'echo')).toBe(100);
    expect(await admitted(limiter, 100, 'alice')).toBe(100);
  });
});

describe('memory store bounds', () => {
  it('drops buckets once they have refilled', () => {
    const clock = manualClock();
    const limiter = new MemoryLimiter(limits('10/s', { search: '1/min' }), { now: clock.now, sweepEveryMs: 1000 });
    for (let i = 0; i < 1000; i++) limiter.take(`caller-${i}`, 'search');
    expect(limiter.size).toBe(2000);
    clock.advance(1000);
    limiter.take('someone', undefined);
    // The caller buckets are full again after 1 s and go; the search buckets need a minute.
    expect(limiter.size).toBe(1001);
    clock.advance(60_000);
    limiter.take('someone', undefined);
    expect(limiter.size).toBe(1);
  });
});
