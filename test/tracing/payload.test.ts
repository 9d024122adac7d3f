import { describe, expect, it } from 'vitest';
import { payloadSerializer } from '../../src/tracing/payload.js';
import { defaultRedact } from '../../src/redaction.js';

describe('payloadSerializer', () => {
  const serialize = payloadSerializer({ redact: defaultRedact, maxChars: 64 });

  it('masks values under keys that contain a listed fragment, in any case, at any depth, arrays included', () => {
    const text = payloadSerializer({ redact: defaultRedact, maxChars: 1000 })({ query: 'q', GitHubToken: 'ghp_1', auth: { client_secret: 's', Password: 'p' }, headers: [{ authorization: 'Bearer t' }], keyboard: 'k' });
    expect(JSON.parse(text!)).toEqual({ query: 'q', GitHubToken: '[redacted]', auth: { client_secret: '[redacted]', Password: '[redacted]' }, headers: [{ authorization: '[redacted]' }], keyboard: '[redacted]' });
  });

  it('keeps numbers and booleans, which are counts and flags rather than credentials', () => {
    expect(JSON.parse(serialize({ maxTokens: 100, keepKey: true, token: 'secret-token' })!)).toEqual({ maxTokens: 100, keepKey: true, token: '[redacted]' });
  });

  it('uses the configured list instead of the default one; an empty list masks nothing', () => {
    expect(JSON.parse(payloadSerializer({ redact: ['ssn'], maxChars: 100 })({ ssn: '1', token: 't' })!)).toEqual({ ssn: '[redacted]', token: 't' });
    expect(payloadSerializer({ redact: [], maxChars: 100 })({ password: 'p' })).toBe('{"password":"p"}');
    expect(JSON.parse(payloadSerializer({ redact: ['a.b'], maxChars: 100 })({ 'a.b': 'v', axb: 'w' })!)).toEqual({ 'a.b': '[redacted]', axb: 'w' });
  });

  it('cuts long strings while serializing and the whole text past the limit, saying how long it was', () => {
    const inner = `{"data":"${'x'.repeat(64)}…[truncated, 1000 chars]"}`;
    expect(serialize({ data: 'x'.repeat(1000) })).toBe(`${inner.slice(0, 64)}…[truncated, ${inner.length} chars]`);
    expect(serialize('short')).toBe('"short"');
  });

  it('never throws: undefined stays undefined, cycles and BigInts become a marker', () => {
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    expect(serialize(undefined)).toBeUndefined();
    expect(serialize(cyclic)).toBe('[not serializable]');
    expect(serialize({ n: 1n })).toBe('[not serializable]');
  });
});
