import { redactedMark } from '../redaction.js';
import { pathMatches, type Step } from './json-path.js';

export interface Difference {
  path: (string | number)[];
  /** Absent when the new answer added the value. */
  expected?: unknown;
  /** Absent when the new answer lost the value. */
  actual?: unknown;
}

const absent = Symbol('absent');

/**
 * The places two JSON values differ, skipping paths that an --ignore pattern names (and all below them). A
 * recorded "[redacted]" matches any value: the recorder masked a secret there, and its real value was never kept.
 */
export function compareJson(expected: unknown, actual: unknown, ignore: readonly (readonly Step[])[]): Difference[] {
  const walk = (left: unknown, right: unknown, path: (string | number)[]): Difference[] => {
    if (ignore.some((pattern) => pathMatches(pattern, path))) return [];
    if (left === absent) return [{ path, actual: right }];
    if (right === absent) return [{ path, expected: left }];
    if (left === redactedMark) return [];
    if (Array.isArray(left) && Array.isArray(right)) {
      const indexes = Array.from({ length: Math.max(left.length, right.length) }, (_, index) => index);
      return indexes.flatMap((index) => walk(index < left.length ? left[index] : absent, index < right.length ? right[index] : absent, [...path, index]));
    }
    if (isObject(left) && isObject(right)) {
      const keys = [...new Set([...Object.keys(left), ...Object.keys(right)])];
      return keys.flatMap((key) => walk(key in left ? left[key] : absent, key in right ? right[key] : absent, [...path, key]));
    }
    return sameJson(left, right) ? [] : [{ path, expected: left, actual: right }];
  };
  return walk(expected, actual, []);
}

export function sameJson(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((item, index) => sameJson(item, b[index]));
  if (isObject(a) && isObject(b)) {
    const keys = Object.keys(a);
    return keys.length === Object.keys(b).length && keys.every((key) => key in b && sameJson(a[key], b[key]));
  }
  return false;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
