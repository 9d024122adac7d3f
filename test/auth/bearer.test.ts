import { describe, expect, it } from 'vitest';
import { readBearer } from '../../src/auth/bearer.js';

/** Headers as a Web runtime hands them over: an Authorization header sent twice is one value joined with ", ". */
function authorization(...values: string[]): Headers {
  const headers = new Headers();
  for (const value of values) headers.append('authorization', value);
  return headers;
}

describe('readBearer', () => {
  it('reads one bearer token, the scheme in any case', () => {
    expect(readBearer(authorization('Bearer abc.def-_~+/='))).toEqual({ kind: 'token', token: 'abc.def-_~+/=' });
    expect(readBearer(authorization('bEaReR   abc'))).toEqual({ kind: 'token', token: 'abc' });
  });

  it('refuses two Authorization headers as a malformed request when the runtime counted them; joined, they are one bad credential', () => {
    expect(readBearer(authorization('Bearer a', 'Bearer a'), 2)).toEqual({ kind: 'duplicate' });
    expect(readBearer(authorization('Basic YWxpY2U6cHc=', ''), 2)).toEqual({ kind: 'duplicate' });
    expect(readBearer(authorization('Bearer a', 'Bearer a'))).toEqual({ kind: 'bad', reason: 'the Authorization header must hold one bearer token and nothing else' });
  });

  it('takes another scheme, or none, as no bearer token', () => {
    expect(readBearer(authorization('Basic YWxpY2U6cHc='))).toEqual({ kind: 'none' });
    expect(readBearer(new Headers())).toEqual({ kind: 'none' });
    expect(readBearer(authorization(''))).toEqual({ kind: 'none' });
  });

  it('refuses an empty, oversized or malformed bearer credential without verifying it', () => {
    expect(readBearer(authorization('Bearer'))).toEqual({ kind: 'bad', reason: 'the bearer token is empty' });
    expect(readBearer(authorization(`Bearer ${'a'.repeat(9000)}`))).toEqual({ kind: 'bad', reason: 'the Authorization header is too large' });
    expect(readBearer(authorization('Bearer a b'))).toEqual({ kind: 'bad', reason: 'the Authorization header must hold one bearer token and nothing else' });
  });
});
