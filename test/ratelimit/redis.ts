import { inject } from 'vitest';
import { missingRedisMessage } from '../setup/redis-server.js';

/**
 * The run's redis-server URL for database `db` (one per test file, so files running side by side do not share
 * buckets), or undefined when redis-server is missing: then the Redis tests skip with a visible note, except
 * in CI, where a missing redis-server fails the file.
 */
export function testRedisUrl(db: number): string | undefined {
  const port = inject('redisPort');
  if (port !== undefined) return `redis://127.0.0.1:${port}/${db}`;
  if (process.env.CI) throw new Error(missingRedisMessage);
  console.warn(`NOTE: skipping Redis tests: ${missingRedisMessage}`);
  return undefined;
}
