import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 30_000,
    // One redis-server for the run (rate-limit tests), on a free loopback port; its port via inject('redisPort').
    globalSetup: ['test/setup/redis.ts'],
    hookTimeout: 60_000,
    // Two cores: a few files at a time, each starting its own servers on free loopback ports.
    maxWorkers: 2,
  },
});
