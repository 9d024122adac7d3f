import { UserError } from './errors.js';

const durationUnits: Record<string, number> = { ms: 1, s: 1000, m: 60_000, min: 60_000, h: 3_600_000 };

/**
 * Parses "250ms", "10s", "5m", "1h" into milliseconds. Typed text needs its unit: "--timeout 5" could mean
 * seconds as well as milliseconds. A JSON number (mcpctl.json) is milliseconds.
 */
export function parseDuration(text: string | number, what = 'duration'): number {
  if (typeof text === 'number') return text;
  const match = /^\s*(\d+(?:\.\d+)?)\s*(ms|s|m|min|h)?\s*$/.exec(text);
  if (!match) throw new UserError(`invalid ${what} "${text}": use a number with a unit, e.g. 500ms, 10s, 5m, 1h`);
  const [, amount, unit] = match;
  if (unit === undefined) throw new UserError(`invalid ${what} "${text}": it needs a unit`, { hint: `did you mean ${amount}s? (units: ms, s, m, h)` });
  return Math.round(Number(amount) * durationUnits[unit]!);
}

const sizeUnits: Record<string, number> = { b: 1, kb: 1024, mb: 1024 ** 2, gb: 1024 ** 3 };

/** Parses "4mb", "512kb", "100" (bytes) into bytes. */
export function parseSize(text: string | number, what = 'size'): number {
  if (typeof text === 'number') return text;
  const match = /^\s*(\d+(?:\.\d+)?)\s*(b|kb|mb|gb)?\s*$/i.exec(text);
  if (!match) throw new UserError(`invalid ${what} "${text}": use a number with a unit, e.g. 512kb, 4mb`);
  return Math.round(Number(match[1]) * sizeUnits[(match[2] ?? 'b').toLowerCase()]!);
}

/** Parses a whole number within [min, max] given for `flag`. */
export function parseInteger(text: string, flag: string, min: number, max = Number.MAX_SAFE_INTEGER): number {
  const value = Number(text);
  if (text.trim() === '' || !Number.isInteger(value) || value < min || value > max) {
    const range = max === Number.MAX_SAFE_INTEGER ? `of at least ${min}` : `from ${min} to ${max}`;
    throw new UserError(`${flag} must be a whole number ${range}, got "${text}"`);
  }
  return value;
}
