import { setTimeout as sleep } from 'node:timers/promises';
import { refusalOf, type Refusal } from './refusal.js';

/** The longest wait --retry honours: a server that asks for more is not waited for, its refusal is passed on. */
export const maxRetryWaitMs = 60_000;
/** The wait when a server refuses for capacity without saying for how long. */
const unsaidWaitMs = 1000;
/** A moment more than asked: the server's clock and ours need not agree to the millisecond. */
const marginMs = 20;

/** How long --retry waits after this refusal; undefined when it does not retry it (credentials, or too long a wait). */
export function retryWaitMs(refusal: Refusal): number | undefined {
  if (refusal.kind === 'auth') return undefined;
  const wait = refusal.retryAfterMs ?? unsaidWaitMs;
  return wait > maxRetryWaitMs ? undefined : wait + marginMs;
}

/**
 * Runs `attempt`, and runs it again after a refusal for capacity (rate limit, overload), up to `retries` times,
 * each time after the wait the server asked for. Any other error, or the last refusal, is thrown as it came.
 */
export async function retryRefusals<T>(retries: number, attempt: () => Promise<T>): Promise<T> {
  for (let left = retries; ; left--) {
    try {
      return await attempt();
    } catch (error) {
      const refusal = left > 0 ? refusalOf(error) : undefined;
      const wait = refusal && retryWaitMs(refusal);
      if (wait === undefined) throw error;
      await sleep(wait);
    }
  }
}
