import { errors } from 'jose';
import { KeysUnavailable } from './remote-jwks.js';

export interface Failure {
  /** A fixed phrase of ours, safe inside a quoted header value: never a library's message. */
  readonly reason: string;
  /** True when the server, not the token, is at fault (no signing keys yet): answered with 503. */
  readonly unavailable?: boolean;
}

export const claimPhrases: Record<string, string> = {
  iss: 'the token is from an issuer this server does not trust',
  aud: 'the token is for another audience (resource)',
  nbf: 'the token is not valid yet (nbf)',
  iat: 'the token was issued in the future (iat)',
  exp: 'the token has an invalid expiry (exp)',
  sub: 'the token has an invalid subject (sub)',
};
const missingPhrases: Record<string, string> = {
  exp: 'the token has no expiry (exp)',
  iat: 'the token has no issue time (iat)',
  sub: 'the token has no subject (sub)',
  iss: 'the token has no issuer (iss)',
  aud: 'the token has no audience (aud)',
};

/** Why jose (or our own checks) refused a token, in our words. */
export function describeFailure(error: unknown): Failure {
  if (error instanceof KeysUnavailable) return { reason: 'the server cannot fetch its signing keys right now', unavailable: true };
  if (error instanceof errors.JWTExpired) return { reason: error.claim === 'iat' ? 'the token is older than this server accepts (iat)' : 'the token has expired' };
  if (error instanceof errors.JWTClaimValidationFailed) {
    const phrase = error.reason === 'missing' ? missingPhrases[error.claim] : claimPhrases[error.claim];
    return { reason: phrase ?? 'the token has an invalid claim' };
  }
  if (error instanceof errors.JOSEAlgNotAllowed || error instanceof errors.JOSENotSupported) return { reason: 'the token is signed with an algorithm this server does not accept' };
  if (error instanceof errors.JWKSNoMatchingKey) return { reason: 'no signing key of this server matches the token (kid)' };
  if (error instanceof errors.JWSSignatureVerificationFailed) return { reason: 'the token signature is invalid' };
  if (error instanceof errors.JWSInvalid || error instanceof errors.JWTInvalid) return { reason: 'the token is malformed' };
  return { reason: 'the token could not be verified' };
}
