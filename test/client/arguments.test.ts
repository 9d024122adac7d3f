import { describe, expect, it } from 'vitest';
import { buildArguments, checkRequired, type JsonSchema } from '../../src/client/arguments.js';
import { UserError } from '../../src/errors.js';

const schema: JsonSchema = {
  type: 'object',
  properties: {
    text: { type: 'string' },
    count: { type: 'integer' },
    ratio: { type: 'number' },
    dry: { type: 'boolean' },
    filter: { type: 'object' },
    tags: { type: 'array', items: { type: 'string' } },
    mode: { enum: ['fast', 'slow', 3] },
    maybe: { type: ['string', 'null'] },
    either: { anyOf: [{ type: 'number' }, { type: 'string' }] },
    free: {},
  },
  required: ['text', 'count'],
  additionalProperties: false,
};

const build = (...words: string[]) => buildArguments('tool "t"', words, undefined, schema);

function userError(run: () => unknown): UserError {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(UserError);
    return error as UserError;
  }
  throw new Error('expected a UserError');
}

describe('key=value arguments coerced by the input schema', () => {
  it('gives each key the type its schema names', () => {
    expect(build('text=42', 'count=3', 'ratio=0.5', 'dry=true', 'filter={"a":1}', 'tags=["x","y"]', 'mode=3', 'maybe=null', 'either=7', 'free={"b":[1]}')).toEqual({
      text: '42',
      count: 3,
      ratio: 0.5,
      dry: true,
      filter: { a: 1 },
      tags: ['x', 'y'],
      mode: 3,
      maybe: null,
      either: 7,
      free: { b: [1] },
    });
  });

  it('keeps text where the schema allows text, and everything after the first =', () => {
    expect(build('either=abc', 'maybe=a=b', 'mode=fast', 'free=plain')).toEqual({ either: 'abc', maybe: 'a=b', mode: 'fast', free: 'plain' });
  });

  it('lets key=value override --args', () => {
    expect(buildArguments('tool "t"', ['count=2'], '{"text":"hi","count":1}', schema)).toEqual({ text: 'hi', count: 2 });
  });

  it('refuses values that do not fit, naming the key and the type', () => {
    expect(userError(() => build('count=1.5')).message).toBe('count: expected integer, got "1.5"');
    expect(userError(() => build('dry=yes')).message).toBe('dry: expected boolean, got "yes"');
    expect(userError(() => build('filter=[1]')).message).toBe('filter: expected object, got "[1]"');
    expect(userError(() => build('mode=medium')).message).toBe('mode: expected one of "fast"|"slow"|3, got "medium"');
  });

  it('refuses unknown keys when the schema is closed, listing the known ones', () => {
    const error = userError(() => build('nope=1'));
    expect(error.message).toBe('tool "t" has no argument "nope"');
    expect(error.hint).toContain('text, count, ratio');
  });

  it('refuses words that are not key=value and --args that is not a JSON object', () => {
    expect(userError(() => build('count')).message).toBe('"count" is not key=value');
    expect(userError(() => buildArguments('tool "t"', [], '[1]', schema)).message).toContain('must be a JSON object');
    expect(userError(() => buildArguments('tool "t"', [], '{', schema)).message).toContain('--args is not valid JSON');
  });

  it('names every missing required argument with its type, as a usage error (exit 2)', () => {
    const error = userError(() => checkRequired('tool "t"', { count: 1 }, schema, 'mcpctl call t'));
    expect(error.message).toBe('tool "t" needs argument text (string)');
    expect(error.exitCode).toBe(2);
    expect(userError(() => checkRequired('tool "t"', {}, schema, 'mcpctl call t')).message).toBe('tool "t" needs arguments text (string), count (integer)');
    expect(() => checkRequired('tool "t"', { text: '', count: 0 }, schema, 'mcpctl call t')).not.toThrow();
  });
});
