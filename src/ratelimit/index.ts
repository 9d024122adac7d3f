import { UserError } from '../errors.js';
import { ChainPosition, type Feature, type FeatureEnvironment } from '../gateway/index.js';
import { Failover } from './failover.js';
import type { Limiter, Limits } from './limiter.js';
import { MemoryLimiter } from './memory-limiter.js';
import { rateLimit } from './middleware.js';
import { withBurst } from './rate.js';
import { closeRedis, connectRedis, describeRedisUrl } from './redis-client.js';
import { RedisLimiter } from './redis-limiter.js';
import type { RateLimitSettings } from './schema.js';

export type RateLimitEnvironment = Pick<FeatureEnvironment, 'logger'>;

const position = ChainPosition.rateLimit;

/** Builds the rate limiter from the `rateLimit` settings (flags already merged); undefined when no limit is set. */
export async function createRateLimit(settings: RateLimitSettings | undefined, environment: RateLimitEnvironment): Promise<Feature | undefined> {
  if (settings === undefined) return undefined;
  const limits = limitsOf(settings);
  if (limits === undefined) return undefined;
  const { logger } = environment;
  const budgets = describeLimits(limits);
  if (settings.redis === undefined) {
    const limiter = new MemoryLimiter(limits);
    return { description: `rate limits ${budgets} (in memory)`, position, middleware: rateLimit({ limiter, logger }) };
  }
  const policy = settings.onStoreError ?? 'open';
  const where = describeRedisUrl(settings.redis);
  const { redis, problem } = await connectRedis(settings.redis);
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

/** The budgets the settings set, or undefined when they set none; a store or burst without a budget is a mistake. */
function limitsOf(settings: RateLimitSettings): Limits | undefined {
  const { burst, tools } = settings;
  const caller = settings.default === undefined || burst === undefined ? settings.default : withBurst(settings.default, burst, 'rateLimit.default (--rate-limit)');
  if (burst !== undefined && caller === undefined) {
    throw new UserError('rateLimit.burst sets the size of the per-caller bucket, but no per-caller rate is set', { hint: 'add "default": "60/min" to rateLimit, or --rate-limit 60/min' });
  }
  if (caller === undefined && tools.size === 0) {
    if (settings.redis !== undefined || settings.onStoreError !== undefined) {
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
