import type { Redis } from 'ioredis';
import type { Limiter, Limits, Refusal } from './limiter.js';

/**
 * One atomic round trip per check: the caller's bucket and the caller+tool bucket are read, refilled and spent
 * together, both or neither, inside Redis. The clock is Redis's own TIME, so instances with skewed clocks agree
 * (ARGV[1] may pass a time in ms instead, for tests). A spent bucket expires once it would have refilled, which
 * is the same as a full one: Redis keeps only the buckets of recent callers.
 *
 * KEYS: the buckets. ARGV[1]: now in ms, or '' for TIME; then per bucket: capacity, tokens per ms, expiry in ms.
 * Returns {0} when admitted, else {n, ms}: bucket n (1-based) is the one to wait for, and for how long.
 */
export const takeScript = `
local now
if ARGV[1] == '' then
  local time = redis.call('TIME')
  now = tonumber(time[1]) * 1000 + tonumber(time[2]) / 1000
else
  now = tonumber(ARGV[1])
end
local levels = {}
local blocked, wait = 0, 0
for i = 1, #KEYS do
  local capacity, rate = tonumber(ARGV[3 * i - 1]), tonumber(ARGV[3 * i])
  local bucket = redis.call('HMGET', KEYS[i], 'tokens', 'at')
  local level = capacity
  if bucket[1] then
    level = math.min(capacity, tonumber(bucket[1]) + math.max(0, now - tonumber(bucket[2])) * rate)
  end
  levels[i] = level
  if level < 1 and (1 - level) / rate > wait then
    blocked, wait = i, (1 - level) / rate
  end
end
if blocked > 0 then
  return {blocked, math.ceil(wait)}
end
for i = 1, #KEYS do
  redis.call('HSET', KEYS[i], 'tokens', string.format('%.17g', levels[i] - 1), 'at', string.format('%.17g', now))
  redis.call('PEXPIRE', KEYS[i], ARGV[3 * i + 1])
end
return {0}
`;

type TakeCommand = (keyCount: number, ...keysAndArgs: (string | number)[]) => Promise<[number, number?]>;

export interface RedisLimiterOptions {
  /** Prefix of every key; the caller part is a hash tag, so both buckets of a call sit in one cluster slot. */
  prefix?: string;
  /** Milliseconds since the epoch, instead of Redis TIME: for tests with an injected clock. */
  now?: () => number;
}

/** Token buckets shared through Redis by every instance that points at it. */
export class RedisLimiter implements Limiter {
  private readonly run: TakeCommand;
  private readonly prefix: string;
  private readonly now: (() => number) | undefined;

  constructor(
    redis: Redis,
    private readonly limits: Limits,
    options: RedisLimiterOptions = {},
  ) {
    // defineCommand sends EVALSHA and falls back to EVAL once when Redis has not seen the script yet.
    redis.defineCommand('mcpctlTakeTokens', { lua: takeScript });
    this.run = (redis as unknown as { mcpctlTakeTokens: TakeCommand }).mcpctlTakeTokens.bind(redis);
    this.prefix = options.prefix ?? 'mcpctl:ratelimit:';
    this.now = options.now;
  }

  async take(sub: string, target: string | undefined): Promise<Refusal | undefined> {
    const callerBudget = this.limits.caller;
    const toolBudget = target === undefined ? undefined : this.limits.tools.get(target);
    if (callerBudget === undefined && toolBudget === undefined) return undefined;
    const key = `${this.prefix}{${sub}}`;
    const now = this.now === undefined ? '' : this.now();
    let answer: [number, number?];
    if (callerBudget !== undefined && toolBudget !== undefined) {
      answer = await this.run(2, key, `${key}:${target}`, now, ...argsOf(callerBudget), ...argsOf(toolBudget));
    } else {
      answer = await this.run(1, toolBudget === undefined ? key : `${key}:${target}`, now, ...argsOf((callerBudget ?? toolBudget)!));
    }
    const [blocked, retryAfterMs = 0] = answer;
    if (blocked === 0) return undefined;
    if (blocked === 1 && callerBudget !== undefined) return { scope: 'caller', budget: callerBudget, retryAfterMs };
    return { scope: 'tool', budget: toolBudget!, retryAfterMs };
  }
}

function argsOf(budget: { capacity: number; perMs: number; refillMs: number }): [number, number, number] {
  return [budget.capacity, budget.perMs, Math.ceil(budget.refillMs) + 1000];
}
