/** The calls file's line: what `serve --record` writes and `mcpctl replay` reads. */

/** Checks a hand-written entry makes about the answer, instead of (or besides) a recorded one. */
export interface Expectations {
  /** The tool answered with (or without) `isError`. */
  isError?: boolean;
  /** Some string anywhere in the answer contains this text (each of them, for a list). */
  contains?: string | string[];
  /** path → value: the answer holds exactly this value there (paths as for --ignore, e.g. "result.content[0].text"). */
  equals?: Record<string, unknown>;
  /** path → regular expression: the string there matches it. */
  matches?: Record<string, string>;
  /** The call took at most this many milliseconds. */
  maxMs?: number;
}

/**
 * One line of a calls file: what `serve --record` writes (method, params, result or error, durationMs, caller,
 * ts), and what a person writes for a smoke test (method, params, expect, and optionally a name).
 */
export interface CallEntry {
  name?: string;
  method: string;
  params?: Record<string, unknown>;
  result?: unknown;
  error?: { code: number; message: string; data?: unknown };
  expect?: Expectations;
  durationMs?: number;
  caller?: string;
  ts?: string;
}

/** Milliseconds as a calls file keeps them: to the microsecond. */
export function roundMs(ms: number): number {
  return Math.round(ms * 1000) / 1000;
}

/** One line of a calls file, keys in a stable order: what a person reads first comes first. */
export function formatEntry(entry: CallEntry): string {
  const { name, method, params, expect, result, error, durationMs, caller, ts, ...rest } = entry;
  const ordered: Record<string, unknown> = { name, method, params, expect, ...('result' in entry ? { result } : {}), error, durationMs, caller, ts, ...rest };
  return JSON.stringify(ordered);
}
