import type { Redis } from 'ioredis';

/** Bounds that keep a slow or absent Redis from holding up a call; a check that misses them falls back by policy. */
export const redisTimeouts = { connectMs: 2000, commandMs: 500 } as const;

/** The URL with its password masked, for logs and the startup line. */
export function describeRedisUrl(url: string): string {
  const parsed = new URL(url);
  if (parsed.password) parsed.password = '***';
  return parsed.href;
}

/**
 * Connects to Redis for rate limits. Commands fail fast instead of queueing while the connection is down, and
 * are never resent after a reconnect (a resent take would spend a token twice); the client keeps reconnecting
 * in the background. Waits at most the connect timeout for the first connection: a server whose Redis is down
 * still starts, and the store-error policy applies until Redis is reachable. The URL is checked already
 * (rateLimit.redis in src/ratelimit/schema.ts).
 */
export async function connectRedis(url: string): Promise<{ redis: Redis; problem: string | undefined }> {
  const { Redis } = await import('ioredis');
  const redis = new Redis(url, {
    connectTimeout: redisTimeouts.connectMs,
    commandTimeout: redisTimeouts.commandMs,
    maxRetriesPerRequest: 0,
    enableOfflineQueue: false,
    autoResendUnfulfilledCommands: false,
    retryStrategy: (attempt) => Math.min(100 * 2 ** attempt, 2000),
  });
  // Without a listener ioredis prints every failed reconnect; the failover logs an outage once instead.
  redis.on('error', ignore);
  // The first answer decides: ready, or the first failure (a refused connection need not wait for the timeout).
  const problem = await new Promise<string | undefined>((resolve) => {
    const settle = (outcome: string | undefined): void => {
      clearTimeout(timer);
      redis.off('ready', onReady);
      redis.off('error', onError);
      resolve(outcome);
    };
    const onReady = (): void => settle(undefined);
    const onError = (error: Error): void => settle(error.message || String(error));
    const timer = setTimeout(() => settle(`no answer within ${redisTimeouts.connectMs} ms`), redisTimeouts.connectMs + 500);
    redis.once('ready', onReady);
    redis.once('error', onError);
  });
  return { redis, problem };
}

function ignore(): void {}

/** Closes the connection without waiting on a Redis that is not there. */
export async function closeRedis(redis: Redis): Promise<void> {
  if (redis.status === 'ready') {
    try {
      await redis.quit();
      return;
    } catch {
      // fall through: drop the connection
    }
  }
  redis.disconnect();
}
