import { inject } from 'vitest';
import { findRedisServer, missingRedisMessage } from '../setup/redis-server.js';

/** Without redis-server, Redis tests skip with a visible note, except in CI, where the file fails. */
function missing(): undefined {
  if (process.env.CI) throw new Error(missingRedisMessage);
  console.warn(`NOTE: skipping Redis tests: ${missingRedisMessage}`);
  return undefined;
}

/**
 * The run's redis-server URL for database `db` (one per test file, so files running side by side do not share
 * buckets), or undefined when redis-server is missing.
 */
export function testRedisUrl(db: number): string | undefined {
  const port = inject('redisPort');
  return port === undefined ? missing() : `redis://127.0.0.1:${port}/${db}`;
}

/** True when tests may start redis-servers of their own (to kill them); see testRedisUrl for when not. */
export function canStartRedis(): boolean {
  return findRedisServer() !== undefined || (missing() ?? false);
}
