import { createPublicKey, type KeyObject } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { relative, resolve } from 'node:path';
import { createLocalJWKSet, importJWK, type JSONWebKeySet, type JWK, type JWTVerifyGetKey } from 'jose';
import { UserError } from '../errors.js';
import { whyUnreadable } from '../file-errors.js';
import type { Logger } from '../log.js';
import { isLoopback } from '../http-url.js';
import { algorithmsForJwk, algorithmsForKeyObject, asymmetricAlgorithms, secretAlgorithms } from './algorithms.js';
import { devDirName, devPaths, readDevSettings, type DevSettings } from './dev-keys.js';
import { RemoteKeySet } from './remote-jwks.js';
import type { AuthSettings } from './schema.js';

/** Where the keys that verify tokens come from. */
export interface KeySource {
  readonly getKey: JWTVerifyGetKey;
  /** Every algorithm these keys can verify: the allow-list unless --algorithms narrows it. */
  readonly supported: readonly string[];
  /** For messages and the start-up line, e.g. "JWKS https://idp.example.com/jwks.json". */
  readonly description: string;
  /** Fetches remote keys before the first request needs them. */
  warm?(): Promise<unknown>;
  /** With --dev: the issuer and audience the dev tokens carry (.mcpctl/dev.json), read once here. */
  readonly dev?: DevSettings;
}

interface SourceEnvironment {
  cwd: string;
  env: NodeJS.ProcessEnv;
  logger: Logger;
}

const sourceFlags = { dev: '--dev', jwksUrl: '--jwks-url', jwksFile: '--jwks-file', publicKey: '--public-key', secretEnv: '--secret-env' } as const;

/** The one key source the config names (exactly one must be given). */
export async function loadKeySource(config: AuthSettings, environment: SourceEnvironment): Promise<KeySource> {
  const given = (Object.keys(sourceFlags) as (keyof typeof sourceFlags)[]).filter((key) => config[key] !== undefined && config[key] !== false);
  if (given.length === 0) {
    throw new UserError('auth is configured but no key verifies tokens', {
      hint: 'give --jwks-url, --jwks-file, --public-key or --secret-env (or --dev after "mcpctl keys init"); or serve with --no-auth',
    });
  }
  if (given.length > 1) throw new UserError(`give one source of keys, not ${given.map((key) => sourceFlags[key]).join(' and ')}`);
  const { cwd, env, logger } = environment;
  if (config.dev) {
    const dev = await readDevSettings(cwd); // first: it says to run keys init when .mcpctl/ is missing
    return { ...(await jwksFileSource(devPaths(cwd).jwks, cwd)), description: `dev key ${devDirName}/jwks.json`, dev };
  }
  if (config.jwksFile !== undefined) return jwksFileSource(resolve(cwd, config.jwksFile), cwd);
  if (config.publicKey !== undefined) return pemSource(resolve(cwd, config.publicKey), cwd);
  if (config.secretEnv !== undefined) return secretSource(config.secretEnv, env, logger);
  return remoteSource(config, logger);
}

async function jwksFileSource(path: string, cwd: string): Promise<KeySource> {
  const name = relative(cwd, path) || path;
  const jwks = parseJson(await readKeyFile(path, name), name) as Partial<JSONWebKeySet>;
  if (!Array.isArray(jwks.keys) || jwks.keys.length === 0) throw new UserError(`${name} is not a JWKS: it needs a non-empty "keys" array`);
  const supported = new Set<string>();
  for (const jwk of jwks.keys) {
    if (typeof jwk !== 'object' || jwk === null) throw new UserError(`${name}: every entry of "keys" must be a JWK object`);
    if ('d' in jwk || jwk.kty === 'oct') {
      throw new UserError(`${name} holds a private or secret key: a JWKS that verifies tokens must hold public keys only`, { hint: 'publish only the public half (mcpctl keys init writes .mcpctl/jwks.json that way)' });
    }
    for (const algorithm of algorithmsForJwk(jwk)) supported.add(algorithm);
  }
  let getKey: JWTVerifyGetKey;
  try {
    getKey = createLocalJWKSet(jwks as JSONWebKeySet);
  } catch {
    throw new UserError(`${name} is not a valid JSON Web Key Set`);
  }
  return { getKey, supported: [...supported], description: `JWKS ${name}` };
}

async function pemSource(path: string, cwd: string): Promise<KeySource> {
  const name = relative(cwd, path) || path;
  const pem = await readKeyFile(path, name);
  if (/-----BEGIN [A-Z ]*PRIVATE KEY-----/.test(pem)) throw new UserError(`${name} is a private key: give the public key (openssl pkey -in key.pem -pubout)`);
  let key: KeyObject;
  try {
    key = createPublicKey(pem);
  } catch {
    throw new UserError(`${name} is not a PEM public key or certificate`);
  }
  if (key.asymmetricKeyType === 'rsa' && (key.asymmetricKeyDetails?.modulusLength ?? 0) < 2048) throw new UserError(`${name} is an RSA key under 2048 bits: too weak to trust`);
  return { getKey: keyPerAlgorithm(key.export({ format: 'jwk' }) as JWK), supported: algorithmsForKeyObject(key), description: `public key ${name}` };
}

async function secretSource(variable: string, env: NodeJS.ProcessEnv, logger: Logger): Promise<KeySource> {
  const secret = env[variable];
  if (secret === undefined || secret === '') throw new UserError(`--secret-env ${variable}: the variable is not set`, { hint: `export ${variable}=$(openssl rand -base64 32)` });
  const bytes = new TextEncoder().encode(secret);
  if (bytes.length < 32) throw new UserError(`the secret in ${variable} is ${bytes.length} bytes: HS256 needs at least 32`, { hint: `export ${variable}=$(openssl rand -base64 32)` });
  logger.warn(`auth with a shared HS256 secret from ${variable} is for development only: whoever can verify tokens can also mint them; use --jwks-url in production`);
  return { getKey: async () => bytes, supported: secretAlgorithms, description: `HS256 secret from $${variable}` };
}

function remoteSource(config: AuthSettings, logger: Logger): KeySource {
  const url = config.jwksUrl!;
  if (url.protocol === 'http:' && !isLoopback(url.hostname)) logger.warn(`fetching signing keys over plain http from ${url.host}: anyone on the path could swap them; use https`);
  const keys = new RemoteKeySet({
    url,
    logger,
    maxAgeMs: config.jwksRefresh,
    cooldownMs: config.jwksCooldown,
    maxStaleMs: config.jwksMaxStale,
  });
  return { getKey: keys.getKey, supported: asymmetricAlgorithms, description: `JWKS ${url.href}`, warm: () => keys.refresh() };
}

/** One public key, imported once for each algorithm a token names (jose checks the name is allowed first). */
function keyPerAlgorithm(jwk: JWK): JWTVerifyGetKey {
  const imported = new Map<string, ReturnType<typeof importJWK>>();
  return (header) => {
    let key = imported.get(header.alg);
    if (key === undefined) {
      key = importJWK(jwk, header.alg);
      imported.set(header.alg, key);
    }
    return key;
  };
}

async function readKeyFile(path: string, name: string): Promise<string> {
  try {
    return await readFile(path, 'utf8');
  } catch (error) {
    throw new UserError(`cannot read ${name}: ${whyUnreadable(error)}`);
  }
}

function parseJson(text: string, name: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    throw new UserError(`${name} is not valid JSON`);
  }
}
