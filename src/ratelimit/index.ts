import { UserError } from '../errors.js';
import { ChainPosition, type Feature, type FeatureEnvironment } from '../gateway/index.js';
import { Failover } from './failover.js';
import type { Limiter, Limits } from './limiter.js';
import { MemoryLimiter } from './memory-limiter.js';
import { rateLimit } from './middleware.js';
import { parseRate, type Budget } from './rate.js';
import { closeRedis, connectRedis, describeRedisUrl } from './redis-client.js';
import { RedisLimiter } from './redis-limiter.js';
import type { RateLimitConfig } from './schema.js';

export type RateLimitEnvironment = Pick<FeatureEnvironment, 'logger'>;

const position = ChainPosition.rateLimit;

/** Builds the rate limiter from the `rateLimit` config (flags already merged); undefined when no limit is set. */
export async function createRateLimit(config: RateLimitConfig | undefined, environment: RateLimitEnvironment): Promise<Feature | undefined> {
  if (config === undefined) return undefined;
  const limits = limitsOf(config);
  if (limits === undefined) return undefined;
  const { logger } = environment;
  const budgets = describeLimits(limits);
  if (config.redis === undefined) {
    const limiter = new MemoryLimiter(limits);
    return { description: `rate limits ${budgets} (in memory)`, position, middleware: rateLimit({ limiter, logger }) };
  }
  const policy = config.onStoreError ?? 'open';
  const where = describeRedisUrl(config.redis);
  const { redis, problem } = await connectRedis(config.redis);
  if (problem !== undefined) logger.warn(`cannot reach Redis at ${where} yet (${problem}): retrying in the background; until then --on-store-error ${policy} applies`);
  const limiter: Limiter = new Failover({
    shared: new RedisLimiter(redis, limits),
    connected: () => redis.status === 'ready',
    policy,
    fallback: new MemoryLimiter(limits),
    logger,
    where,
  });
  return {
    description: `rate limits ${budgets} (shared through ${where}, on store error: ${policy})`,
    position,
    middleware: rateLimit({ limiter, logger }),
    close: () => closeRedis(redis),
  };
}

/** The budgets the config sets, or undefined when it sets none; a store or burst without a budget is a mistake. */
function limitsOf(config: RateLimitConfig): Limits | undefined {
  const caller = config.default === undefined ? undefined : parseRate(config.default, 'rateLimit.default (--rate-limit)', config.burst);
  const tools = new Map<string, Budget>();
  for (const [name, rate] of Object.entries(config.tools ?? {})) tools.set(name, parseRate(rate, `rateLimit.tools.${name} (--tool-rate-limit ${name}=…)`));
  if (config.burst !== undefined && caller === undefined) {
    throw new UserError('rateLimit.burst sets the size of the per-caller bucket, but no per-caller rate is set', { hint: 'add "default": "60/min" to rateLimit, or --rate-limit 60/min' });
  }
  if (caller === undefined && tools.size === 0) {
    if (config.redis !== undefined || config.onStoreError !== undefined) {
      throw new UserError('a rate-limit store is configured but no rate limit is set', { hint: 'add --rate-limit 60/min or --tool-rate-limit search=10/min (or rateLimit.default / rateLimit.tools in mcpctl.json)' });
    }
    return undefined;
  }
  return { caller, tools };
}

function describeLimits(limits: Limits): string {
  const parts = limits.caller ? [`${limits.caller.label} per caller`] : [];
  for (const [name, budget] of limits.tools) parts.push(`${name} ${budget.label} per caller`);
  return parts.join(', ');
}
