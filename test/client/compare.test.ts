import { describe, expect, it } from 'vitest';
import { compareJson } from '../../src/client/compare.js';
import { formatPath, parsePath, pathMatches } from '../../src/client/json-path.js';

describe('paths into an answer', () => {
  it('reads keys, indexes, quoted keys, wildcards and any-depth steps, with or without $', () => {
    expect(parsePath('result.content[0].text')).toEqual(['result', 'content', 0, 'text']);
    expect(parsePath('$.result["odd key"]')).toEqual(['result', 'odd key']);
    expect(pathMatches(parsePath('result.content[*].text'), ['result', 'content', 3, 'text'])).toBe(true);
    expect(pathMatches(parsePath('$..now'), ['result', 'structuredContent', 'now'])).toBe(true);
    expect(pathMatches(parsePath('$..now'), ['result', 'now', 'x'])).toBe(false);
    expect(pathMatches(parsePath('result.*'), ['result', '_meta'])).toBe(true);
    expect(() => parsePath('result..')).toThrow('cannot read the path "result.."');
  });

  it('prints paths as they are written', () => {
    expect(formatPath(['result', 'content', 0, 'text'])).toBe('result.content[0].text');
    expect(formatPath(['result', 'odd key'])).toBe('result["odd key"]');
  });
});

describe('compareJson', () => {
  it('names each changed, lost and added value by its path', () => {
    const recorded = { result: { content: [{ type: 'text', text: 'hi' }, { type: 'text', text: 'gone' }], keep: 1, old: true } };
    const replayed = { result: { content: [{ type: 'text', text: 'hello' }], keep: 1, added: null } };
    expect(compareJson(recorded, replayed, [])).toEqual([
      { path: ['result', 'content', 0, 'text'], expected: 'hi', actual: 'hello' },
      { path: ['result', 'content', 1], expected: { type: 'text', text: 'gone' } },
      { path: ['result', 'old'], expected: true },
      { path: ['result', 'added'], actual: null },
    ]);
  });

  it('skips ignored paths and everything below them', () => {
    const recorded = { result: { _meta: { at: 1 }, items: [{ id: 1, at: 'x' }], n: 1 } };
    const replayed = { result: { items: [{ id: 1, at: 'y' }], n: 1 } };
    expect(compareJson(recorded, replayed, [parsePath('result._meta'), parsePath('result.items[*].at')])).toEqual([]);
  });

  it('takes a recorded "[redacted]" as matching any value, but not a missing one', () => {
    const recorded = { result: { user: 'bo', sessionToken: '[redacted]', schema: '[redacted]' } };
    expect(compareJson(recorded, { result: { user: 'bo', sessionToken: 'st-2', schema: { type: 'string' } } }, [])).toEqual([]);
    expect(compareJson(recorded, { result: { user: 'al', schema: {} } }, [])).toEqual([
      { path: ['result', 'user'], expected: 'bo', actual: 'al' },
      { path: ['result', 'sessionToken'], expected: '[redacted]' },
    ]);
  });
});
