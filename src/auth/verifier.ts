import { errors, jwtVerify, type JWTPayload, type JWTVerifyGetKey, type JWTVerifyOptions } from 'jose';
import type { Caller } from '../gateway/index.js';
import { ExpiringLru } from './expiring-lru.js';
import { claimPhrases, describeFailure, type Failure } from './failure-reasons.js';

/** What a token must satisfy, beyond a valid signature from a trusted key. */
export interface VerifyPolicy {
  readonly issuer: string;
  /** The token's `aud` must name one of these. */
  readonly audiences: readonly string[];
  readonly algorithms: readonly string[];
  readonly clockToleranceMs: number;
  readonly maxTokenAgeMs?: number;
}

export type Verification = { readonly ok: true; readonly caller: Caller } | ({ readonly ok: false } & Failure);

/** Three base64url segments, none empty: an unsigned (alg "none") token has an empty third one. */
const compactJwt = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/;
const malformed: Verification = { ok: false, reason: 'the token is not a signed JWT' };

/**
 * Verifies bearer tokens with jose under a strict policy (issuer, audience, exp/iat/sub required, an algorithm
 * allow-list, no future iat), and remembers each accepted token until it expires, so a client that reuses its
 * token pays for one signature check, not one per request.
 */
export class TokenVerifier {
  private readonly cache: ExpiringLru<Verification>;
  private readonly options: JWTVerifyOptions;

  constructor(
    private readonly key: JWTVerifyGetKey,
    private readonly policy: VerifyPolicy,
    cacheSize = 10_000,
  ) {
    this.cache = new ExpiringLru(cacheSize);
    this.options = {
      issuer: policy.issuer,
      audience: [...policy.audiences],
      algorithms: [...policy.algorithms],
      clockTolerance: policy.clockToleranceMs / 1000,
      requiredClaims: ['exp', 'iat', 'sub'],
      ...(policy.maxTokenAgeMs === undefined ? {} : { maxTokenAge: policy.maxTokenAgeMs / 1000 }),
    };
  }

  async verify(token: string): Promise<Verification> {
    const now = Date.now();
    const cached = this.cache.get(token, now);
    if (cached !== undefined) return cached;
    if (!compactJwt.test(token)) return malformed;
    let payload: JWTPayload;
    try {
      payload = await this.verifyWithJose(token);
    } catch (error) {
      return { ok: false, ...describeFailure(error) };
    }
    const problem = this.checkBeyondJose(payload, now);
    if (problem !== undefined) return { ok: false, reason: problem };
    const verification: Verification = { ok: true, caller: callerOf(payload) };
    this.cache.set(token, verification, this.validUntil(payload));
    return verification;
  }

  private async verifyWithJose(token: string): Promise<JWTPayload> {
    try {
      return (await jwtVerify(token, this.key, this.options)).payload;
    } catch (error) {
      // A token without a kid, and a key set with several keys of its type: try each one.
      if (!(error instanceof errors.JWKSMultipleMatchingKeys)) throw error;
      let last: unknown = new errors.JWSSignatureVerificationFailed();
      for await (const candidate of error) {
        try {
          return (await jwtVerify(token, candidate, this.options)).payload;
        } catch (attempt) {
          last = attempt;
        }
      }
      throw last;
    }
  }

  /** jose checks a future `iat` only when maxTokenAge is set, and `sub` only for presence. */
  private checkBeyondJose(payload: JWTPayload, now: number): string | undefined {
    if (payload.iat! * 1000 > now + this.policy.clockToleranceMs) return claimPhrases.iat;
    if (typeof payload.sub !== 'string' || payload.sub === '') return claimPhrases.sub;
    return undefined;
  }

  /** The time jose would start refusing the token: its expiry, or its maximum age, plus the tolerance. */
  private validUntil(payload: JWTPayload): number {
    const expiry = payload.exp! * 1000;
    const ageLimit = this.policy.maxTokenAgeMs === undefined ? expiry : payload.iat! * 1000 + this.policy.maxTokenAgeMs;
    return Math.min(expiry, ageLimit) + this.policy.clockToleranceMs;
  }
}

function callerOf(payload: JWTPayload): Caller {
  return { sub: payload.sub!, authenticated: true, scopes: scopesOf(payload), claims: payload, expiresAt: payload.exp! * 1000 };
}

/** The caller's scopes: `scope` (space-separated) and `scp` (an array, or a string as some providers send it). */
export function scopesOf(claims: JWTPayload): Set<string> {
  const scopes = new Set<string>();
  const add = (value: unknown): void => {
    if (typeof value !== 'string') return;
    for (const scope of value.split(' ')) if (scope !== '') scopes.add(scope);
  };
  add(claims.scope);
  if (Array.isArray(claims.scp)) for (const scope of claims.scp) add(scope);
  else add(claims.scp);
  return scopes;
}
