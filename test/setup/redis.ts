// Vitest global setup: one redis-server for the whole run, on a free non-default loopback port, stopped by pid
// at teardown. Tests read its port with inject('redisPort') (see test/ratelimit/redis.ts).
import type { TestProject } from 'vitest/node';
import { findRedisServer, startRedisServer } from './redis-server.js';

declare module 'vitest' {
  export interface ProvidedContext {
    /** The test redis-server's port; undefined when redis-server is not installed. */
    redisPort: number | undefined;
  }
}

export default async function setup(project: TestProject): Promise<(() => Promise<void>) | undefined> {
  if (findRedisServer() === undefined) {
    project.provide('redisPort', undefined);
    return undefined;
  }
  const server = await startRedisServer();
  project.provide('redisPort', server.port);
  return () => server.stop();
}
