import type { z } from 'zod';
import { UserError } from '../errors.js';
import { choice, section, setting, type ConfigOf, type SettingsOf, type Zod } from '../setting-rows.js';
import { isRate, parseRate, rateHint, type Budget } from './rate.js';

const rate = (zod: Zod): z.ZodType<string> => zod.string().refine(isRate, { message: rateHint });

/** The `rateLimit` section of mcpctl.json: "60/min"-style budgets per caller and per caller+tool, and their store. */
export const rateLimitSection = section({
  /** Budget per caller across all counted calls (tools/call, resources/read, prompts/get). */
  default: setting({
    flag: '--rate-limit <rate>',
    help: 'budget per caller, e.g. 60/min, 10/s, 1000/h',
    json: rate,
    parse: (text) => parseRate(text, 'rateLimit.default (--rate-limit)'),
  }),
  /** Size of the per-caller bucket, when it should differ from the rate's count. */
  burst: setting({ json: (zod) => zod.number().int().positive() }),
  /** Budget per caller for one tool (or prompt name, or resource URI), on top of the per-caller one. */
  tools: setting({
    flag: '--tool-rate-limit <tool=rate>',
    help: 'budget per caller for one tool, e.g. search=10/min (repeatable)',
    repeat: 'assign',
    fromFlag: toolRates,
    json: (zod) => zod.record(zod.string().min(1), rate(zod)),
    default: {},
    parse: (tools) => new Map<string, Budget>(Object.entries(tools).map(([name, text]) => [name, parseRate(text, `rateLimit.tools.${name} (--tool-rate-limit ${name}=…)`)])),
  }),
  /** Share buckets between instances through this Redis. */
  redis: setting({
    flag: '--redis <url>',
    help: 'share rate-limit buckets through Redis, e.g. redis://127.0.0.1:6379/0',
    json: (zod) => zod.string().regex(/^rediss?:\/\//, 'use a redis:// or rediss:// URL, e.g. redis://127.0.0.1:6379/0'),
    parse: redisUrl,
  }),
  /** When Redis is unreachable: open = per-instance limits, closed = refuse counted calls. */
  onStoreError: setting({ flag: '--on-store-error <policy>', help: 'when Redis is down: open (per-instance limits) or closed (refuse)', ...choice(['open', 'closed']) }),
});
/** The `rateLimit` section as mcpctl.json holds it. */
export type RateLimitConfig = ConfigOf<typeof rateLimitSection.keys>;
/** The `rateLimit` section as createRateLimit takes it: rates parsed into budgets, the Redis URL checked. */
export type RateLimitSettings = SettingsOf<typeof rateLimitSection.keys>;

function toolRates(entries: string[], flag: string): Record<string, string> {
  const rates: Record<string, string> = {};
  for (const entry of entries) {
    const at = entry.lastIndexOf('=');
    if (at <= 0 || at === entry.length - 1) throw new UserError(`${flag} takes tool=rate, e.g. search=10/min; got "${entry}"`);
    rates[entry.slice(0, at)] = entry.slice(at + 1);
  }
  return rates;
}

/** A redis:// or rediss:// URL, as given (ioredis reads it). */
function redisUrl(url: string): string {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new UserError(`invalid Redis URL "${url}"`, { hint: 'use redis://host:port/db, e.g. --redis redis://127.0.0.1:6379/0' });
  }
  if (parsed.protocol !== 'redis:' && parsed.protocol !== 'rediss:') {
    throw new UserError(`invalid Redis URL "${url}": it must start with redis:// or rediss://`, { hint: 'e.g. --redis redis://127.0.0.1:6379/0' });
  }
  return url;
}
