import { randomUUID } from 'node:crypto';
import { UserError } from '../errors.js';
import { parseDuration } from '../units.js';
import { devAlgorithm, devPaths, readDevFile, readDevSettings } from './dev-keys.js';

export interface MintOptions {
  /** The caller's name: the token's `sub`. */
  sub: string;
  /** Scopes, space-separated ("tools:echo tools:search") or as a list. */
  scope?: string | readonly string[];
  /** Lifetime: "5m", "1h", or milliseconds. Default 5m, at most 24h. */
  ttl?: string | number;
  /** Audience; default the dev audience that `serve --dev` accepts on any port. */
  aud?: string | readonly string[];
  /** Issuer; default the dev issuer from .mcpctl/dev.json. */
  iss?: string;
  /** The directory holding .mcpctl/ (from `mcpctl keys init`); default the working directory. */
  cwd?: string;
}

export interface MintedToken {
  token: string;
  claims: { iss: string; sub: string; aud: string | string[]; iat: number; exp: number; jti: string; scope?: string };
}

const maxTtlMs = 24 * 3_600_000;

/** Signs a short-lived JWT with the dev key from `mcpctl keys init`, as `mcpctl token mint` does. */
export async function mintDevToken(options: MintOptions): Promise<string> {
  return (await mintDevTokenWithClaims(options)).token;
}

/** Like mintDevToken, also giving the claims it signed (for `token mint --json`). */
export async function mintDevTokenWithClaims(options: MintOptions): Promise<MintedToken> {
  const cwd = options.cwd ?? process.cwd();
  if (options.sub.trim() === '') throw new UserError('--sub must not be empty: name the caller, e.g. --sub alice');
  const ttlMs = parseDuration(options.ttl ?? '5m', 'token lifetime (--ttl)');
  if (ttlMs < 1000 || ttlMs > maxTtlMs) throw new UserError(`--ttl must be from 1s to 24h, got "${options.ttl}"`, { hint: 'dev tokens are short-lived: mint a new one when it expires' });
  const settings = await readDevSettings(cwd);
  const { SignJWT, importPKCS8 } = await import('jose');
  const key = await importPKCS8(await readDevFile(devPaths(cwd).privateKey, cwd), devAlgorithm);
  const scope = scopeText(options.scope);
  const iat = Math.floor(Date.now() / 1000);
  const claims: MintedToken['claims'] = {
    iss: options.iss ?? settings.issuer,
    sub: options.sub,
    aud: typeof options.aud === 'string' || options.aud === undefined ? (options.aud ?? settings.audience) : [...options.aud],
    iat,
    exp: iat + Math.ceil(ttlMs / 1000),
    jti: randomUUID(),
    ...(scope === '' ? {} : { scope }),
  };
  const token = await new SignJWT(claims).setProtectedHeader({ alg: devAlgorithm, kid: settings.kid, typ: 'JWT' }).sign(key);
  return { token, claims };
}

function scopeText(scope: MintOptions['scope']): string {
  const list = typeof scope === 'string' ? scope.split(/\s+/) : (scope ?? []);
  return [...new Set(list.filter((item) => item !== ''))].join(' ');
}
