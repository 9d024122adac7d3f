import type { Logger } from '../log.js';
import type { Limiter, Refusal } from './limiter.js';

export interface FailoverOptions {
  /** The shared store (Redis). */
  shared: { take(sub: string, target: string | undefined): Promise<Refusal | undefined> };
  /** False while the shared store's connection is down: then it is not even tried. */
  connected: () => boolean;
  /** open: per-instance limits while the store is down; closed: refuse counted calls. */
  policy: 'open' | 'closed';
  /** Per-instance buckets for the open policy. */
  fallback: { take(sub: string, target: string | undefined): Refusal | undefined };
  logger: Logger;
  /** Where the store is, for log lines (no password). */
  where: string;
  /** After a failed check on a live connection (a hung server), how long to skip the store before trying again. */
  cooldownMs?: number;
}

const storeDown: Refusal = { scope: 'store', retryAfterMs: 1000 };

/**
 * The store-error policy around the shared store. A failed or unreachable store never hangs a call (the client
 * has bounded timeouts and no offline queue) and is logged once per outage; calls go back to the shared
 * buckets as soon as the store answers again.
 */
export class Failover implements Limiter {
  private outage = false;
  private retryAt = 0;
  private readonly cooldownMs: number;

  constructor(private readonly options: FailoverOptions) {
    this.cooldownMs = options.cooldownMs ?? 1000;
  }

  take(sub: string, target: string | undefined): Refusal | undefined | Promise<Refusal | undefined> {
    if (!this.options.connected()) return this.degraded(sub, target, 'not connected');
    if (this.retryAt !== 0 && performance.now() < this.retryAt) return this.degraded(sub, target, 'not answering');
    return this.options.shared.take(sub, target).then(
      (refusal) => {
        if (this.outage) this.recovered();
        return refusal;
      },
      (error: unknown) => {
        this.retryAt = performance.now() + this.cooldownMs;
        return this.degraded(sub, target, (error as Error).message);
      },
    );
  }

  private degraded(sub: string, target: string | undefined, reason: string): Refusal | undefined {
    if (!this.outage) {
      this.outage = true;
      const consequence = this.options.policy === 'open' ? 'using per-instance limits until it is back' : 'refusing rate-limited calls until it is back (--on-store-error closed)';
      this.options.logger.warn(`rate-limit store ${this.options.where} is unavailable (${reason}): ${consequence}`);
    }
    return this.options.policy === 'open' ? this.options.fallback.take(sub, target) : storeDown;
  }

  private recovered(): void {
    this.outage = false;
    this.retryAt = 0;
    this.options.logger.info(`rate-limit store ${this.options.where} is back: shared limits resume`);
  }
}
