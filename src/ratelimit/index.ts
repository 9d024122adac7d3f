import type { GatewayFeature } from '../gateway/types.js';
import type { Logger } from '../log.js';
import type { RateLimitConfig } from './schema.js';

export interface RateLimitEnvironment {
  readonly logger: Logger;
}

/** Builds the rate limiter from the `rateLimit` config (flags already merged); undefined when no limit is set. */
export async function createRateLimit(config: RateLimitConfig | undefined, _environment: RateLimitEnvironment): Promise<(GatewayFeature & { description: string }) | undefined> {
  if (config === undefined) return undefined;
  throw new Error('rate limits are not implemented yet');
}
