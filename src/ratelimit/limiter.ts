import type { Budget } from './rate.js';

/** The budgets in force: one per caller, and one per caller for each named tool (or prompt, or resource URI). */
export interface Limits {
  readonly caller: Budget | undefined;
  readonly tools: ReadonlyMap<string, Budget>;
}

/** Why a call was refused: the caller's budget or its budget for this tool ran dry, or (closed policy) the shared store is down. */
export type Refusal =
  | { readonly scope: 'caller' | 'tool'; readonly budget: Budget; readonly retryAfterMs: number }
  | { readonly scope: 'store'; readonly retryAfterMs: number };

/**
 * Where buckets live. `take` spends one token from the caller's bucket and from the caller+tool bucket, from
 * both or from neither, and answers undefined when the call may go on. Synchronous when it can be (memory), so
 * the hot path pays no promise.
 */
export interface Limiter {
  take(sub: string, target: string | undefined): Refusal | undefined | Promise<Refusal | undefined>;
  close?(): Promise<void>;
}
