/** Serializes a value for a span attribute: JSON, secrets masked, no longer than the limit. */
export type PayloadSerializer = (value: unknown) => string | undefined;

export const redactedMark = '[redacted]';

/**
 * Builds the serializer for arguments and results. Redaction goes by key: any key containing one of `redact`
 * (case-insensitive) has its value replaced, at any depth, unless the value is a number or a boolean: those are
 * counts and flags ("maxTokens": 100), not credentials. Long strings are cut while serializing, so a
 * multi-megabyte base64 blob costs a slice, not a copy into the span.
 */
export function payloadSerializer(options: { redact: readonly string[]; maxChars: number }): PayloadSerializer {
  const { maxChars } = options;
  const secret = redactPattern(options.redact);
  const replacer = (key: string, value: unknown): unknown => {
    if (secret !== undefined && key !== '' && typeof value !== 'number' && typeof value !== 'boolean' && secret.test(key)) return redactedMark;
    if (typeof value === 'string' && value.length > maxChars) return cut(value, maxChars);
    return value;
  };
  const serialize = (value: unknown, withReplacer: boolean): string | undefined => {
    try {
      return withReplacer ? JSON.stringify(value, replacer) : JSON.stringify(value);
    } catch {
      return '[not serializable]';
    }
  };
  return (value) => {
    if (value === undefined) return undefined;
    // Fast path, the common case: plain JSON, short, and no listed fragment anywhere in it, so none in any key.
    let text = serialize(value, false);
    if (text !== undefined && (text.length > maxChars || secret?.test(text))) text = serialize(value, true);
    return text !== undefined && text.length > maxChars ? cut(text, maxChars) : text;
  };
}

function cut(text: string, maxChars: number): string {
  return `${text.slice(0, maxChars)}…[truncated, ${text.length} chars]`;
}

function redactPattern(fragments: readonly string[]): RegExp | undefined {
  if (fragments.length === 0) return undefined;
  return new RegExp(fragments.map((fragment) => fragment.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('|'), 'i');
}
