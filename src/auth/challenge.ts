/** Printable ASCII without `"` and `\`: what may stand inside a quoted-string with no escaping. */
const quotable = /^[\x20\x21\x23-\x5B\x5D-\x7E]*$/;

/**
 * A `WWW-Authenticate: Bearer …` value (RFC 6750). A parameter whose value could not be sent safely inside
 * quotes is left out rather than escaped: clients parse these headers loosely.
 */
export function bearerChallenge(params: Readonly<Record<string, string | undefined>>): string {
  const parts: string[] = [];
  for (const [name, value] of Object.entries(params)) {
    if (value !== undefined && quotable.test(value)) parts.push(`${name}="${value}"`);
  }
  return parts.length === 0 ? 'Bearer' : `Bearer ${parts.join(', ')}`;
}
