import type { Expectations } from '../record/entry.js';
import { sameJson } from './compare.js';
import { parsePath, valueAt } from './json-path.js';

/** The answer to one replayed call, shaped like a calls-file entry so that paths read the same in both. */
export interface Answer {
  result?: unknown;
  error?: { code: number; message: string; data?: unknown };
}

/**
 * Checks a hand-written entry's `expect` against the answer; each failed check is one readable line.
 * `isError: true` is met by a tool error (result.isError) and by a JSON-RPC error alike: the call failed.
 */
export function checkExpectations(expect: Expectations, answer: Answer, durationMs: number): string[] {
  const failures: string[] = [];
  if (expect.isError !== undefined) {
    const failed = answer.error !== undefined || (answer.result as { isError?: unknown } | undefined)?.isError === true;
    if (failed !== expect.isError) failures.push(expect.isError ? 'expected an error, the call succeeded' : `expected success, got ${describeFailure(answer)}`);
  }
  for (const text of typeof expect.contains === 'string' ? [expect.contains] : (expect.contains ?? [])) {
    if (!stringsIn(answer).some((value) => value.includes(text))) failures.push(`expected the answer to contain ${JSON.stringify(text)}`);
  }
  for (const [path, wanted] of Object.entries(expect.equals ?? {})) {
    const actual = valueAt(answer, parsePath(path), path);
    if (!sameJson(wanted, actual)) failures.push(`${path}: expected ${preview(wanted)}, got ${preview(actual)}`);
  }
  for (const [path, pattern] of Object.entries(expect.matches ?? {})) {
    const actual = valueAt(answer, parsePath(path), path);
    const text = typeof actual === 'string' ? actual : JSON.stringify(actual);
    if (actual === undefined || !new RegExp(pattern).test(text)) failures.push(`${path}: expected to match /${pattern}/, got ${preview(actual)}`);
  }
  if (expect.maxMs !== undefined && durationMs > expect.maxMs) failures.push(`took ${durationMs.toFixed(1)} ms, more than maxMs ${expect.maxMs}`);
  return failures;
}

function describeFailure(answer: Answer): string {
  if (answer.error) return `error ${answer.error.code}: ${answer.error.message}`;
  const content = (answer.result as { content?: { type?: string; text?: string }[] } | undefined)?.content;
  const text = content?.find((block) => block.type === 'text')?.text;
  return text === undefined ? 'a tool error' : `a tool error: ${preview(text)}`;
}

function stringsIn(value: unknown): string[] {
  if (typeof value === 'string') return [value];
  if (typeof value !== 'object' || value === null) return [];
  return Object.values(value).flatMap(stringsIn);
}

/** A JSON value cut to fit one line of a report. */
export function preview(value: unknown, max = 120): string {
  if (value === undefined) return 'nothing';
  const text = JSON.stringify(value);
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}
