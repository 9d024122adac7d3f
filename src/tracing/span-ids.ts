import { randomFillSync } from 'node:crypto';

// Random bytes come from a pool refilled a few kilobytes at a time: one crypto call per ~170 spans, not per id.
const pool = Buffer.allocUnsafe(4096);
let used = pool.length;

function randomHex(bytes: number, invalid: string): string {
  for (;;) {
    if (used + bytes > pool.length) {
      randomFillSync(pool);
      used = 0;
    }
    const hex = pool.toString('hex', used, (used += bytes));
    // All zeros is W3C's "invalid id" (one chance in 2^64 or more, but a span must never carry it).
    if (hex !== invalid) return hex;
  }
}

const invalidTraceId = '0'.repeat(32);
const invalidSpanId = '0'.repeat(16);

/** A W3C trace id: 16 random bytes as 32 hex digits. */
export const newTraceId = (): string => randomHex(16, invalidTraceId);

/** A W3C span id: 8 random bytes as 16 hex digits. */
export const newSpanId = (): string => randomHex(8, invalidSpanId);
