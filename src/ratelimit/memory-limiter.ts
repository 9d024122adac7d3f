import type { Limiter, Limits, Refusal } from './limiter.js';
import type { Budget } from './rate.js';

/** One token bucket: how many tokens it held at time `at` (the clock's ms). */
interface Bucket {
  tokens: number;
  at: number;
}

/** A caller's buckets: its own, and one per tool that has a budget of its own. */
interface CallerBuckets {
  own: Bucket | undefined;
  tools: Map<string, Bucket> | undefined;
}

export interface MemoryLimiterOptions {
  /** Milliseconds from any fixed origin; injected by tests. */
  now?: () => number;
  /** How often idle buckets are dropped (a bucket untouched long enough to be full is the same as none). */
  sweepEveryMs?: number;
}

/**
 * Token buckets in this process: exact under any concurrency (JavaScript runs one take at a time), and bounded:
 * buckets that have refilled are dropped by a sweep that runs from `take` itself, so no timer is needed.
 */
export class MemoryLimiter implements Limiter {
  private readonly callers = new Map<string, CallerBuckets>();
  private readonly now: () => number;
  private readonly sweepEveryMs: number;
  private nextSweep = -Infinity;

  constructor(
    private readonly limits: Limits,
    options: MemoryLimiterOptions = {},
  ) {
    this.now = options.now ?? (() => performance.now());
    this.sweepEveryMs = options.sweepEveryMs ?? 10_000;
  }

  /** How many buckets are held: for tests of eviction. */
  get size(): number {
    let size = 0;
    for (const buckets of this.callers.values()) size += (buckets.own ? 1 : 0) + (buckets.tools?.size ?? 0);
    return size;
  }

  take(sub: string, target: string | undefined): Refusal | undefined {
    const callerBudget = this.limits.caller;
    const toolBudget = target === undefined ? undefined : this.limits.tools.get(target);
    if (callerBudget === undefined && toolBudget === undefined) return undefined;
    const now = this.now();
    if (now >= this.nextSweep) this.sweep(now);
    let buckets = this.callers.get(sub);
    if (buckets === undefined) {
      buckets = { own: undefined, tools: undefined };
      this.callers.set(sub, buckets);
    }

    let own: Bucket | undefined;
    let ownLevel = Infinity;
    if (callerBudget !== undefined) {
      own = buckets.own ??= { tokens: callerBudget.capacity, at: now };
      ownLevel = levelOf(own, callerBudget, now);
    }
    let tool: Bucket | undefined;
    let toolLevel = Infinity;
    if (toolBudget !== undefined) {
      const tools = (buckets.tools ??= new Map());
      tool = tools.get(target!);
      if (tool === undefined) {
        tool = { tokens: toolBudget.capacity, at: now };
        tools.set(target!, tool);
      }
      toolLevel = levelOf(tool, toolBudget, now);
    }

    if (ownLevel < 1 || toolLevel < 1) {
      const ownWait = ownLevel < 1 ? (1 - ownLevel) / callerBudget!.perMs : 0;
      const toolWait = toolLevel < 1 ? (1 - toolLevel) / toolBudget!.perMs : 0;
      return ownWait >= toolWait ? { scope: 'caller', budget: callerBudget!, retryAfterMs: ownWait } : { scope: 'tool', budget: toolBudget!, retryAfterMs: toolWait };
    }
    if (own !== undefined) {
      own.tokens = ownLevel - 1;
      own.at = now;
    }
    if (tool !== undefined) {
      tool.tokens = toolLevel - 1;
      tool.at = now;
    }
    return undefined;
  }

  private sweep(now: number): void {
    this.nextSweep = now + this.sweepEveryMs;
    for (const [sub, buckets] of this.callers) {
      if (buckets.own !== undefined && isFull(buckets.own, this.limits.caller!, now)) buckets.own = undefined;
      if (buckets.tools !== undefined) {
        for (const [name, bucket] of buckets.tools) if (isFull(bucket, this.limits.tools.get(name)!, now)) buckets.tools.delete(name);
        if (buckets.tools.size === 0) buckets.tools = undefined;
      }
      if (buckets.own === undefined && buckets.tools === undefined) this.callers.delete(sub);
    }
  }
}

/** The bucket's tokens now: what it held plus the refill since, up to its capacity. */
function levelOf(bucket: Bucket, budget: Budget, now: number): number {
  return Math.min(budget.capacity, bucket.tokens + (now - bucket.at) * budget.perMs);
}

function isFull(bucket: Bucket, budget: Budget, now: number): boolean {
  return levelOf(bucket, budget, now) >= budget.capacity;
}
