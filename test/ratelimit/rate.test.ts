import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { parseRate } from '../../src/ratelimit/rate.js';
import { rateLimitSection } from '../../src/ratelimit/schema.js';
import { shapeOf } from '../../src/setting-rows.js';

/** The `rateLimit` section's schema, as src/config.ts makes it from the table. */
const rateLimitSchema = z.object(shapeOf(rateLimitSection.keys, z)).strict();

describe('parseRate', () => {
  it.each([
    ['60/min', 60, 1 / 1000, '60/min', 'q=60;w=60'],
    ['10/s', 10, 10 / 1000, '10/s', 'q=10;w=1'],
    ['1000/h', 1000, 1000 / 3_600_000, '1000/h', 'q=1000;w=3600'],
    ['0.5/s', 1, 0.5 / 1000, '0.5/s', 'q=1;w=2'],
    ['5/10s', 5, 5 / 10_000, '5/10s', 'q=5;w=10'],
    ['100 / day', 100, 100 / 86_400_000, '100/d', 'q=100;w=86400'],
    ['30/mins', 30, 30 / 60_000, '30/min', 'q=30;w=60'],
  ])('%s: capacity %d', (text, capacity, perMs, label, quota) => {
    const budget = parseRate(text, 'test');
    expect(budget).toMatchObject({ capacity, label, quota });
    expect(budget.perMs).toBeCloseTo(perMs, 12);
    expect(budget.refillMs).toBeCloseTo(capacity / perMs, 6);
  });

  it('takes the capacity from burst when given', () => {
    expect(parseRate('60/min', 'test', 10)).toMatchObject({ capacity: 10, label: '60/min, burst 10', quota: 'q=10;w=10' });
  });

  it.each(['60', '60/', '/min', '0/min', '60/fortnight', '10/ms', '-1/s', 'ten/s'])('refuses "%s" with one clear line', (text) => {
    expect(() => parseRate(text, 'rateLimit.default (--rate-limit)')).toThrow(`invalid rate "${text}" for rateLimit.default (--rate-limit): use calls/period, e.g. 60/min`);
  });

  it('refuses a burst that is no whole number of calls', () => {
    expect(() => parseRate('60/min', 'rateLimit.default', 0)).toThrow('invalid burst 0');
  });
});

describe('rateLimit schema', () => {
  it('accepts budgets, tools, a Redis URL and a policy', () => {
    const config = { default: '60/min', burst: 100, tools: { search: '10/min' }, redis: 'redis://127.0.0.1:6380/2', onStoreError: 'closed' };
    expect(rateLimitSchema.parse(config)).toEqual(config);
  });

  it('names the key of a bad rate', () => {
    const result = rateLimitSchema.safeParse({ tools: { search: 'often' } });
    expect(result.success).toBe(false);
    expect(result.error!.issues[0]).toMatchObject({ path: ['tools', 'search'], message: expect.stringContaining('e.g. 60/min') });
  });

  it('wants a redis:// URL', () => {
    expect(rateLimitSchema.safeParse({ default: '1/s', redis: 'localhost:6379' }).success).toBe(false);
  });
});
