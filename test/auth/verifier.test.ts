import { createLocalJWKSet, type JWTVerifyGetKey } from 'jose';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { ExpiringLru } from '../../src/auth/expiring-lru.js';
import { TokenVerifier, type VerifyPolicy } from '../../src/auth/verifier.js';
import { claimsFor, jwksOf, makeKey, now, sign, type TestKey } from './helpers.js';

const aud = 'http://127.0.0.1:8080/mcp';
const policy: VerifyPolicy = { issuer: 'https://issuer.test/', audiences: [aud], algorithms: ['ES256'], clockToleranceMs: 30_000 };

/** A key set that counts how often jose asks it for a key: one ask per real signature check. */
function counted(...keys: TestKey[]): { getKey: JWTVerifyGetKey; asks: () => number } {
  const local = createLocalJWKSet(jwksOf(...keys));
  let asks = 0;
  return {
    getKey: (header, token) => {
      asks++;
      return local(header, token);
    },
    asks: () => asks,
  };
}

afterEach(() => {
  vi.useRealTimers();
});

describe('TokenVerifier', () => {
  it('gives the caller: sub, scopes from scope or scp, claims, expiry', async () => {
    const key = await makeKey();
    const verifier = new TokenVerifier(counted(key).getKey, policy);
    const exp = now() + 300;
    const result = await verifier.verify(await sign(key, claimsFor(aud, { exp, scope: 'tools:echo  prompts:get', scp: ['resources:read'] })));
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.caller).toMatchObject({ sub: 'alice', authenticated: true, expiresAt: exp * 1000 });
    expect([...result.caller.scopes].sort()).toEqual(['prompts:get', 'resources:read', 'tools:echo']);
    const azure = await verifier.verify(await sign(key, claimsFor(aud, { scope: undefined, scp: 'tools:echo tools:fail' })));
    expect(azure.ok && [...azure.caller.scopes]).toEqual(['tools:echo', 'tools:fail']);
  });

  it('checks a reused token once, until it expires', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    const key = await makeKey();
    const keys = counted(key);
    const verifier = new TokenVerifier(keys.getKey, { ...policy, clockToleranceMs: 0 });
    const token = await sign(key, claimsFor(aud, { exp: now() + 60 }));
    for (let i = 0; i < 100; i++) expect((await verifier.verify(token)).ok).toBe(true);
    expect(keys.asks()).toBe(1);
    vi.setSystemTime(Date.now() + 61_000);
    expect(await verifier.verify(token)).toMatchObject({ ok: false, reason: 'the token has expired' });
  });

  it('stops honouring a cached token at its maximum age', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    const key = await makeKey();
    const verifier = new TokenVerifier(counted(key).getKey, { ...policy, clockToleranceMs: 0, maxTokenAgeMs: 10_000 });
    const token = await sign(key, claimsFor(aud, { exp: now() + 3600 }));
    expect((await verifier.verify(token)).ok).toBe(true);
    vi.setSystemTime(Date.now() + 11_000);
    expect(await verifier.verify(token)).toMatchObject({ ok: false, reason: 'the token is older than this server accepts (iat)' });
  });

  it('refuses a future iat without maxTokenAge (jose checks it only with one), within the tolerance accepts it', async () => {
    const key = await makeKey();
    const verifier = new TokenVerifier(counted(key).getKey, policy);
    expect(await verifier.verify(await sign(key, claimsFor(aud, { iat: now() + 120 })))).toMatchObject({ ok: false, reason: 'the token was issued in the future (iat)' });
    expect((await verifier.verify(await sign(key, claimsFor(aud, { iat: now() + 10 })))).ok).toBe(true);
  });

  it('refuses alg none and algorithms outside the allow-list even when they reach jose', async () => {
    const key = await makeKey();
    const verifier = new TokenVerifier(counted(key).getKey, policy);
    const header = Buffer.from(JSON.stringify({ alg: 'none' })).toString('base64url');
    const payload = Buffer.from(JSON.stringify(claimsFor(aud))).toString('base64url');
    expect(await verifier.verify(`${header}.${payload}.c2ln`)).toMatchObject({ ok: false, reason: 'the token is signed with an algorithm this server does not accept' });
    const es384 = await makeKey('ES384');
    expect(await verifier.verify(await sign(es384, claimsFor(aud)))).toMatchObject({ ok: false, reason: 'the token is signed with an algorithm this server does not accept' });
  });

  it('refuses a non-string or empty sub', async () => {
    const key = await makeKey();
    const verifier = new TokenVerifier(counted(key).getKey, policy);
    expect(await verifier.verify(await sign(key, claimsFor(aud, { sub: '' })))).toMatchObject({ ok: false, reason: 'the token has an invalid subject (sub)' });
    expect((await verifier.verify(await sign(key, claimsFor(aud, { sub: 42 })))).ok).toBe(false);
  });

  it('tries each key of a set when the token names no kid', async () => {
    const [first, second] = [await makeKey(), await makeKey()];
    const verifier = new TokenVerifier(counted(first, second).getKey, policy);
    expect((await verifier.verify(await sign(second, claimsFor(aud), { kid: undefined }))).ok).toBe(true);
    const stranger = await makeKey();
    expect(await verifier.verify(await sign(stranger, claimsFor(aud), { kid: undefined }))).toMatchObject({ ok: false, reason: 'the token signature is invalid' });
  });

  it('accepts any audience of the list', async () => {
    const key = await makeKey();
    const verifier = new TokenVerifier(counted(key).getKey, { ...policy, audiences: ['mcpctl-dev', aud] });
    expect((await verifier.verify(await sign(key, claimsFor('mcpctl-dev')))).ok).toBe(true);
    expect((await verifier.verify(await sign(key, claimsFor(['other', aud])))).ok).toBe(true);
    expect((await verifier.verify(await sign(key, claimsFor('other')))).ok).toBe(false);
  });
});

describe('ExpiringLru', () => {
  it('holds at most its capacity, evicting the least recently used', () => {
    const lru = new ExpiringLru<number>(2);
    lru.set('a', 1, 1000);
    lru.set('b', 2, 1000);
    expect(lru.get('a', 0)).toBe(1);
    lru.set('c', 3, 1000);
    expect(lru.size).toBe(2);
    expect(lru.get('b', 0)).toBeUndefined();
    expect(lru.get('a', 0)).toBe(1);
    expect(lru.get('c', 1000)).toBeUndefined();
    expect(lru.size).toBe(1);
  });
});
