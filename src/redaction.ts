/**
 * Key-based redaction of arguments and results, the one rule for everything that carries payloads out of the
 * gateway: spans (tracing) and the calls file (`serve --record`). A key that contains a listed fragment
 * (case-insensitive, at any depth, in arrays too) has its value replaced by "[redacted]", unless the value is a
 * number or a boolean: those are counts and flags ("maxTokens": 100), not credentials. Only keys are matched: a
 * secret inside free text is not found. Import-free, so the recorder can use it without loading tracing.
 */

export const redactedMark = '[redacted]';

/** Masked unless `redactDefaults` is false: "key" catches apiKey, "secret" client_secret and clientSecret. */
export const defaultRedact: readonly string[] = ['token', 'secret', 'password', 'key', 'authorization'];

/** The redaction keys of mcpctl.json. */
export interface RedactConfig {
  /** Fragments masked besides the default ones. */
  readonly redact?: readonly string[];
  /** false: mask only `redact`, not the default list. */
  readonly redactDefaults?: boolean;
  /** Where `redact` used to live: still read, as part of the same list. */
  readonly tracing?: { readonly redact?: readonly string[] };
}

/** The fragments in force: the default list, unless turned off, and every configured one. */
export function redactFragments(config: RedactConfig): string[] {
  const defaults = config.redactDefaults === false ? [] : defaultRedact;
  return [...new Set([...defaults, ...(config.redact ?? []), ...(config.tracing?.redact ?? [])])];
}

/** Matches a key whose value is masked; undefined when the list is empty and nothing is. */
export function secretKeyPattern(fragments: readonly string[]): RegExp | undefined {
  if (fragments.length === 0) return undefined;
  return new RegExp(fragments.map((fragment) => fragment.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('|'), 'i');
}

/** Whether the value under `key` is masked. */
export function isMasked(secret: RegExp, key: string, value: unknown): boolean {
  return typeof value !== 'number' && typeof value !== 'boolean' && secret.test(key);
}

/** A function that copies a JSON value with its secrets masked (the value itself when nothing is listed). */
export function redactor(fragments: readonly string[]): <T>(value: T) => T {
  const secret = secretKeyPattern(fragments);
  if (secret === undefined) return (value) => value;
  const copy = (value: unknown): unknown => {
    if (Array.isArray(value)) return value.map(copy);
    if (typeof value !== 'object' || value === null) return value;
    return Object.fromEntries(Object.entries(value).map(([key, inner]) => [key, isMasked(secret, key, inner) ? redactedMark : copy(inner)]));
  };
  return (value) => copy(value) as typeof value;
}
