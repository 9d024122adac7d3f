import { UserError } from '../errors.js';

/** A parsed "60/min"-style budget: a token bucket's size and refill speed, plus its labels for answers. */
export interface Budget {
  /** As the user wrote it, normalised: "60/min", "10/s, burst 20". */
  readonly label: string;
  /** Most tokens the bucket holds: the calls a quiet caller may make at once. */
  readonly capacity: number;
  /** Tokens added per millisecond. */
  readonly perMs: number;
  /** How long an empty bucket takes to fill: after this long untouched, a bucket is as good as new. */
  readonly refillMs: number;
  /** The IETF RateLimit-Policy parameters: quota q over window w seconds (q = capacity, w = refill time). */
  readonly quota: string;
}

/** Period units by name ("mins", "hours": a plural "s" after a word of two letters or more is dropped), in ms, with their label. */
const units: Record<string, readonly [number, string]> = {
  s: [1000, 's'],
  sec: [1000, 's'],
  second: [1000, 's'],
  m: [60_000, 'min'],
  min: [60_000, 'min'],
  minute: [60_000, 'min'],
  h: [3_600_000, 'h'],
  hr: [3_600_000, 'h'],
  hour: [3_600_000, 'h'],
  d: [86_400_000, 'd'],
  day: [86_400_000, 'd'],
};

const ratePattern = /^\s*(\d+(?:\.\d+)?)\s*\/\s*(\d+(?:\.\d+)?)?\s*([a-z]+)\s*$/i;

export const rateHint = 'use calls/period, e.g. 60/min, 10/s, 1000/h, 0.5/s or 5/10s';

/** True when `text` reads as a rate; the schema's check, so mcpctl.json errors name the key. */
export function isRate(text: string): boolean {
  return split(text) !== undefined;
}

/**
 * Parses "60/min", "10/s", "1000/h", "0.5/s", "5/10s" into a budget. The bucket holds `count` tokens (at least
 * one, so a fractional rate still admits a call now and then) unless `burst` sets another capacity.
 */
export function parseRate(text: string, where: string, burst?: number): Budget {
  const parts = split(text);
  if (parts === undefined) throw new UserError(`invalid rate "${text}" for ${where}: ${rateHint}`);
  const { count, times, unit } = parts;
  const budget = bucket(count / (times * unit[0]), Math.max(1, Math.floor(count)), `${count}/${times === 1 ? '' : times}${unit[1]}`);
  return burst === undefined ? budget : withBurst(budget, burst, where);
}

/** The same refill speed with another bucket size: `burst` calls at once. */
export function withBurst(budget: Budget, burst: number, where: string): Budget {
  if (!Number.isInteger(burst) || burst < 1) throw new UserError(`invalid burst ${burst} for ${where}: use a whole number of calls, at least 1`);
  return bucket(budget.perMs, burst, `${budget.label}, burst ${burst}`);
}

function bucket(perMs: number, capacity: number, label: string): Budget {
  const refillMs = capacity / perMs;
  return { label, capacity, perMs, refillMs, quota: `q=${capacity};w=${Math.ceil(refillMs / 1000)}` };
}

function split(text: string): { count: number; times: number; unit: readonly [number, string] } | undefined {
  const match = ratePattern.exec(text);
  if (!match) return undefined;
  const word = match[3]!.toLowerCase();
  const singular = word.length > 2 && word.endsWith('s') ? word.slice(0, -1) : word;
  const unit = Object.hasOwn(units, singular) ? units[singular] : undefined;
  const count = Number(match[1]);
  const times = match[2] === undefined ? 1 : Number(match[2]);
  if (unit === undefined || count <= 0 || times <= 0) return undefined;
  return { count, times, unit };
}
