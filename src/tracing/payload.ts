import { isMasked, redactedMark, secretKeyPattern } from '../redaction.js';

/** Serializes a value for a span attribute: JSON, secrets masked, no longer than the limit. */
export type PayloadSerializer = (value: unknown) => string | undefined;

/**
 * Builds the serializer for arguments and results, masking secrets by key as src/redaction.ts says. Long strings
 * are cut while serializing, so a multi-megabyte base64 blob costs a slice, not a copy into the span.
 */
export function payloadSerializer(options: { redact: readonly string[]; maxChars: number }): PayloadSerializer {
  const { maxChars } = options;
  const secret = secretKeyPattern(options.redact);
  const replacer = (key: string, value: unknown): unknown => {
    if (secret !== undefined && key !== '' && isMasked(secret, key, value)) return redactedMark;
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
