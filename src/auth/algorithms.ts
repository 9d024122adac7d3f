import type { KeyObject } from 'node:crypto';
import type { JWK } from 'jose';
import { UserError } from '../errors.js';

const rsa = ['RS256', 'RS384', 'RS512', 'PS256', 'PS384', 'PS512'];
const rsaPss = ['PS256', 'PS384', 'PS512'];
const ecByCurve: Record<string, string[]> = { 'P-256': ['ES256'], 'P-384': ['ES384'], 'P-521': ['ES512'] };
const eddsa = ['EdDSA', 'Ed25519'];
/** Node's names for the JOSE curves. */
const joseCurve: Record<string, string> = { prime256v1: 'P-256', secp384r1: 'P-384', secp521r1: 'P-521' };

/** Every signature algorithm a public key can verify: what a remote JWKS may rotate to. */
export const asymmetricAlgorithms: readonly string[] = [...rsa, 'ES256', 'ES384', 'ES512', ...eddsa];
export const secretAlgorithms: readonly string[] = ['HS256', 'HS384', 'HS512'];

/** The algorithms a PEM public key verifies, from its type and curve. */
export function algorithmsForKeyObject(key: KeyObject): string[] {
  switch (key.asymmetricKeyType) {
    case 'rsa':
      return rsa;
    case 'rsa-pss':
      return rsaPss;
    case 'ec':
      return ecByCurve[joseCurve[key.asymmetricKeyDetails?.namedCurve ?? ''] ?? ''] ?? [];
    case 'ed25519':
      return eddsa;
    default:
      return [];
  }
}

/** The algorithms a public JWK verifies: its `alg` when it names one, else what its key type allows. */
export function algorithmsForJwk(jwk: JWK): string[] {
  if (typeof jwk.alg === 'string') return asymmetricAlgorithms.includes(jwk.alg) ? [jwk.alg] : [];
  if (jwk.kty === 'RSA') return rsa;
  if (jwk.kty === 'EC') return ecByCurve[jwk.crv ?? ''] ?? [];
  if (jwk.kty === 'OKP' && jwk.crv === 'Ed25519') return eddsa;
  return [];
}

/**
 * The allow-list to verify with: the requested algorithms when given (each must suit the key: never `none`,
 * never HMAC with a public key, never a public-key algorithm with a shared secret), else all the key supports.
 */
export function allowList(requested: readonly string[] | undefined, supported: readonly string[], keyDescription: string): string[] {
  if (supported.length === 0) throw new UserError(`${keyDescription} is of a type mcpctl cannot verify with`, { hint: 'use an RSA (2048+ bits), EC P-256/P-384/P-521 or Ed25519 key' });
  if (requested === undefined || requested.length === 0) return [...supported];
  for (const name of requested) {
    if (name.toLowerCase() === 'none') throw new UserError('--algorithms must not list "none": unsigned tokens are never accepted');
    if (!supported.includes(name)) {
      throw new UserError(`--algorithms lists ${name}, which ${keyDescription} cannot verify`, { hint: `this key allows: ${supported.join(', ')}` });
    }
  }
  return [...new Set(requested)];
}
