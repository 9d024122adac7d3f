import { createLocalJWKSet, errors, type JSONWebKeySet, type JWTVerifyGetKey } from 'jose';
import type { Logger } from '../log.js';

/** No usable keys: the identity provider has not answered yet, or not for longer than keys may be kept. */
export class KeysUnavailable extends Error {}

export interface RemoteKeySetOptions {
  url: URL;
  logger: Logger;
  /** Keys older than this are refreshed in the background while they keep serving. Default 10 min. */
  maxAgeMs?: number;
  /** At most one fetch per cooldown, whatever asks for it (unknown kid, failures, refresh). Default 30 s. */
  cooldownMs?: number;
  /** How long past maxAge the last good keys keep serving while the provider cannot be reached. Default 1 h. */
  maxStaleMs?: number;
  timeoutMs?: number;
  /** Milliseconds since the epoch; tests pass a clock they advance instead of sleeping. */
  now?: () => number;
}

type LocalKeySet = ReturnType<typeof createLocalJWKSet>;

const maxJwksBytes = 1024 * 1024;

/**
 * A remote JWKS with the behaviour a gateway needs, which jose's createRemoteJWKSet lacks: once its cache is old
 * it refetches before every verification and fails them all while the provider is down (no cooldown after a
 * failed fetch, so every request fetches). Here fetches of every cause share one cooldown, keys are refreshed
 * in the background, and the last good keys keep serving for a bounded time when the provider is unreachable.
 */
export class RemoteKeySet {
  private keys: LocalKeySet | undefined;
  private fetchedAt = Number.NEGATIVE_INFINITY;
  private attemptedAt = Number.NEGATIVE_INFINITY;
  private pending: Promise<boolean> | undefined;
  private readonly maxAgeMs: number;
  private readonly cooldownMs: number;
  private readonly maxStaleMs: number;
  private readonly timeoutMs: number;
  private readonly now: () => number;

  constructor(private readonly options: RemoteKeySetOptions) {
    this.now = options.now ?? Date.now;
    this.maxAgeMs = options.maxAgeMs ?? 10 * 60_000;
    this.cooldownMs = options.cooldownMs ?? 30_000;
    this.maxStaleMs = options.maxStaleMs ?? 60 * 60_000;
    this.timeoutMs = options.timeoutMs ?? 5000;
  }

  /** For jose's jwtVerify: the key the token's header names. */
  readonly getKey: JWTVerifyGetKey = async (header, token) => {
    const age = this.now() - this.fetchedAt;
    if (age > this.maxAgeMs + this.maxStaleMs) await this.refresh();
    else if (age > this.maxAgeMs) void this.refresh();
    const keys = this.usableKeys();
    try {
      return await keys(header, token);
    } catch (error) {
      // A kid we do not know may be a key the provider just rotated in: look once, within the cooldown.
      if (!(error instanceof errors.JWKSNoMatchingKey) || !(await this.refresh())) throw error;
      return this.usableKeys()(header, token);
    }
  };

  /**
   * Fetches the key set unless a fetch started within the cooldown; concurrent callers share one fetch.
   * Resolves to true when new keys arrived. Never rejects: a failure is logged and the old keys stay.
   */
  refresh(): Promise<boolean> {
    if (this.pending) return this.pending;
    if (this.now() - this.attemptedAt < this.cooldownMs) return Promise.resolve(false);
    this.attemptedAt = this.now();
    this.pending = this.fetchKeys().then(
      (keys) => {
        this.keys = keys;
        this.fetchedAt = this.now();
        return true;
      },
      (error: unknown) => {
        const kept = this.keys ? `keeping the keys fetched ${Math.round((this.now() - this.fetchedAt) / 1000)}s ago` : 'no keys yet: tokens cannot be verified';
        this.options.logger.warn(`cannot fetch the JWKS from ${this.options.url.href} (${(error as Error).message}); ${kept}`);
        return false;
      },
    );
    void this.pending.finally(() => (this.pending = undefined));
    return this.pending;
  }

  private usableKeys(): LocalKeySet {
    if (this.keys === undefined || this.now() - this.fetchedAt > this.maxAgeMs + this.maxStaleMs) throw new KeysUnavailable();
    return this.keys;
  }

  private async fetchKeys(): Promise<LocalKeySet> {
    let response: Response;
    try {
      response = await fetch(this.options.url, {
        redirect: 'manual',
        signal: AbortSignal.timeout(this.timeoutMs),
        headers: { accept: 'application/jwk-set+json, application/json' },
      });
    } catch (error) {
      const cause = (error as { cause?: { code?: string } }).cause?.code;
      throw new Error((error as Error).name === 'TimeoutError' ? `no answer within ${this.timeoutMs} ms` : (cause ?? 'fetch failed'));
    }
    if (response.status !== 200) {
      await response.body?.cancel();
      throw new Error(`HTTP ${response.status}`);
    }
    if (Number(response.headers.get('content-length')) > maxJwksBytes) {
      await response.body?.cancel();
      throw new Error('the key set is larger than 1 MB');
    }
    const bytes = await response.arrayBuffer();
    if (bytes.byteLength > maxJwksBytes) throw new Error('the key set is larger than 1 MB');
    const text = new TextDecoder().decode(bytes);
    let jwks: JSONWebKeySet;
    try {
      jwks = JSON.parse(text) as JSONWebKeySet;
      return createLocalJWKSet(jwks);
    } catch {
      throw new Error('the answer is not a JSON Web Key Set');
    }
  }
}
