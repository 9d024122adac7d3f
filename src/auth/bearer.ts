/** Longest Authorization header we read; real access tokens are a few KB at most. */
export const maxAuthorizationBytes = 8192;

export type Credential =
  | { readonly kind: 'none' }
  | { readonly kind: 'token'; readonly token: string }
  /** A bearer credential we refuse without verifying it. */
  | { readonly kind: 'bad'; readonly reason: string }
  /** More than one Authorization header: a malformed request (RFC 6750 invalid_request). */
  | { readonly kind: 'duplicate' };

const none: Credential = { kind: 'none' };
const duplicate: Credential = { kind: 'duplicate' };
/** RFC 6750 b64token. */
const b64token = /^[A-Za-z0-9\-._~+/]+=*$/;

/**
 * The bearer token of a request, from its Authorization header only (never the query string). The scheme is
 * case-insensitive (RFC 7235). Web Headers join a header sent twice into one value ("Bearer a, Bearer b"), so
 * `authorizationHeaders` says how many there were when the runtime can tell (the node adapter counts them); a
 * joined value it does not flag fails as one malformed credential.
 */
export function readBearer(headers: Headers, authorizationHeaders = 1): Credential {
  if (authorizationHeaders > 1) return duplicate;
  const value = headers.get('authorization');
  if (value === null || value === '') return none;
  if (value.length > maxAuthorizationBytes) return { kind: 'bad', reason: 'the Authorization header is too large' };
  const space = value.indexOf(' ');
  const scheme = space === -1 ? value : value.slice(0, space);
  // Another scheme (Basic…) is no bearer credential at all: answered like a missing token (RFC 6750 §3.1).
  if (scheme.toLowerCase() !== 'bearer') return none;
  const token = space === -1 ? '' : value.slice(space + 1).replace(/^ +/, '');
  if (token === '') return { kind: 'bad', reason: 'the bearer token is empty' };
  if (!b64token.test(token)) return { kind: 'bad', reason: 'the Authorization header must hold one bearer token and nothing else' };
  return { kind: 'token', token };
}
