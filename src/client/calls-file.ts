import { readFile } from 'node:fs/promises';
import { UserError } from '../errors.js';
import { whyUnreadable } from '../file-errors.js';
import { parsePath } from './json-path.js';
import type { CallEntry, Expectations } from '../record/entry.js';

/** A line of the file with its number, for messages that point at it. */
export interface NumberedEntry {
  line: number;
  entry: CallEntry;
  /** The line as written, kept when the file is rewritten without changing it. */
  text: string;
}

/** Reads a calls file; a broken line is a usage error naming its line number. Blank lines are skipped. */
export async function readCallsFile(file: string): Promise<NumberedEntry[]> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    throw new UserError(`cannot read ${file}: ${whyUnreadable(error)}`, { hint: 'record one with: mcpctl serve --record calls.jsonl …' });
  }
  const entries: NumberedEntry[] = [];
  text.split('\n').forEach((raw, index) => {
    if (raw.trim() === '') return;
    const where = `${file}:${index + 1}`;
    let value: unknown;
    try {
      value = JSON.parse(raw);
    } catch (error) {
      throw new UserError(`${where} is not JSON: ${(error as Error).message}`);
    }
    entries.push({ line: index + 1, entry: checkEntry(value, where), text: raw });
  });
  return entries;
}

function checkEntry(value: unknown, where: string): CallEntry {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new UserError(`${where}: a line must be a JSON object`);
  const entry = value as CallEntry;
  if (typeof entry.method !== 'string') throw new UserError(`${where}: "method" is missing`, { hint: 'e.g. {"method":"tools/call","params":{"name":"echo","arguments":{}},"expect":{"isError":false}}' });
  if (entry.params !== undefined && (typeof entry.params !== 'object' || entry.params === null || Array.isArray(entry.params))) throw new UserError(`${where}: "params" must be an object`);
  if (entry.expect === undefined && !('result' in entry) && entry.error === undefined) throw new UserError(`${where}: give a recorded "result" or "error", or an "expect" object`);
  if (entry.expect !== undefined) checkExpect(entry.expect, where);
  return entry;
}

const expectKeys = new Set(['isError', 'contains', 'equals', 'matches', 'maxMs']);

function checkExpect(expect: unknown, where: string): void {
  if (typeof expect !== 'object' || expect === null || Array.isArray(expect)) throw new UserError(`${where}: "expect" must be an object`);
  const unknown = Object.keys(expect).filter((key) => !expectKeys.has(key));
  if (unknown.length) throw new UserError(`${where}: unknown expect key "${unknown[0]}"`, { hint: `expect keys: ${[...expectKeys].join(', ')}` });
  const { isError, contains, equals, matches, maxMs } = expect as Expectations;
  if (isError !== undefined && typeof isError !== 'boolean') throw new UserError(`${where}: expect.isError must be true or false`);
  if (contains !== undefined && !(typeof contains === 'string' || (Array.isArray(contains) && contains.every((item) => typeof item === 'string')))) throw new UserError(`${where}: expect.contains must be a string or a list of strings`);
  if (equals !== undefined && (typeof equals !== 'object' || equals === null || Array.isArray(equals))) throw new UserError(`${where}: expect.equals must be an object of path → value`);
  for (const path of Object.keys(equals ?? {})) checkExpectPath(where, 'equals', path);
  if (matches !== undefined) {
    if (typeof matches !== 'object' || matches === null || Array.isArray(matches)) throw new UserError(`${where}: expect.matches must be an object of path → regular expression`);
    for (const [path, pattern] of Object.entries(matches)) {
      checkExpectPath(where, 'matches', path);
      try {
        new RegExp(String(pattern));
      } catch (error) {
        throw new UserError(`${where}: expect.matches["${path}"] is not a regular expression: ${(error as Error).message}`);
      }
    }
  }
  if (maxMs !== undefined && (typeof maxMs !== 'number' || maxMs <= 0)) throw new UserError(`${where}: expect.maxMs must be a positive number`);
}

/** An expect path must read, and name one place (wildcards are for --ignore): checked before any call is made. */
function checkExpectPath(where: string, key: string, path: string): void {
  let steps: ReturnType<typeof parsePath>;
  try {
    steps = parsePath(path);
  } catch (error) {
    throw new UserError(`${where}: expect.${key}: ${(error as Error).message}`, { hint: 'paths look like result.content[0].text' });
  }
  if (steps.some((step) => typeof step === 'symbol')) throw new UserError(`${where}: expect.${key}["${path}"]: wildcards only work in --ignore paths`);
}
