import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RemoteKeySet } from '../../src/auth/remote-jwks.js';
import { TokenVerifier } from '../../src/auth/verifier.js';
import { createLogger } from '../../src/log.js';
import { connectHttp, startServe, type RunningServe } from '../helpers/serve.js';
import { bearer, claimsFor, makeKey, rawPost, sign, tempDir, type TestKey } from './helpers.js';
import { startIdp, type IdpStub } from './idp-stub.js';

const issuer = 'https://issuer.test/';
const aud = 'http://127.0.0.1:8080/mcp';
const spyServer = fileURLToPath(new URL('./fixtures/spy-server.mjs', import.meta.url));

function setup(idp: IdpStub, timing: { maxAgeMs: number; cooldownMs: number; maxStaleMs: number }) {
  const warnings: string[] = [];
  const logger = createLogger({ write: (line) => warnings.push(line) });
  const keys = new RemoteKeySet({ url: new URL(idp.url), logger, ...timing });
  const verifier = new TokenVerifier(keys.getKey, { issuer, audiences: [aud], algorithms: ['ES256'], clockToleranceMs: 30_000 });
  // A fresh jti each time: a new token, so the verification cache cannot answer for the key set.
  const verify = async (key: TestKey, kid?: string) => verifier.verify(await sign(key, claimsFor(aud), kid === undefined ? {} : { kid }));
  return { keys, verify, warnings };
}

describe('remote JWKS against a loopback identity provider', () => {
  let a: TestKey;
  let b: TestKey;
  let stranger: TestKey;
  beforeAll(async () => {
    [a, b, stranger] = await Promise.all([makeKey(), makeKey(), makeKey()]);
  });

  it('fetches once for many tokens, and at most once per cooldown for unknown kids (no storm)', async () => {
    const idp = await startIdp(a);
    const { verify } = setup(idp, { maxAgeMs: 60_000, cooldownMs: 1000, maxStaleMs: 60_000 });
    for (let i = 0; i < 20; i++) expect((await verify(a)).ok).toBe(true);
    expect(idp.fetches()).toBe(1);
    const unknown = await Promise.all(Array.from({ length: 50 }, (_, i) => verify(stranger, `unknown-${i}`)));
    expect(unknown.every((result) => !result.ok && result.reason === 'no signing key of this server matches the token (kid)')).toBe(true);
    expect(idp.fetches()).toBe(1);
    await sleep(1050);
    await Promise.all(Array.from({ length: 50 }, (_, i) => verify(stranger, `unknown-${i}`)));
    expect(idp.fetches()).toBe(2);
    await idp.close();
  });

  it('picks up a rotated-in key by its new kid, and drops a retired one', async () => {
    const idp = await startIdp(a);
    const { verify } = setup(idp, { maxAgeMs: 60_000, cooldownMs: 100, maxStaleMs: 60_000 });
    expect((await verify(a)).ok).toBe(true);
    idp.publish(a, b);
    await sleep(150);
    expect((await verify(b)).ok).toBe(true);
    expect(idp.fetches()).toBe(2);
    idp.publish(b);
    await sleep(150);
    expect((await verify(stranger, 'another-new-kid')).ok).toBe(false);
    expect(idp.fetches()).toBe(3);
    expect(await verify(a)).toMatchObject({ ok: false, reason: 'no signing key of this server matches the token (kid)' });
    await idp.close();
  });

  it('keeps the last good keys while the provider is down, for a bounded time, without a fetch storm', async () => {
    const idp = await startIdp(a);
    const timing = { maxAgeMs: 300, cooldownMs: 100, maxStaleMs: 600 };
    const { verify, warnings } = setup(idp, timing);
    expect((await verify(a)).ok).toBe(true);
    const fetchedAt = Date.now();
    idp.goDown('503');
    // Past maxAge, within maxStale: every token still verifies with the old keys, refreshes are tried in the background.
    await sleep(350);
    let verified = 0;
    while (Date.now() - fetchedAt < timing.maxAgeMs + timing.maxStaleMs - 150) {
      const results = await Promise.all(Array.from({ length: 10 }, () => verify(a)));
      verified += results.filter((result) => result.ok).length;
      await sleep(20);
    }
    expect(verified).toBeGreaterThan(50);
    const elapsed = Date.now() - fetchedAt;
    expect(idp.fetches()).toBeLessThanOrEqual(1 + Math.ceil(elapsed / timing.cooldownMs) + 1);
    expect(warnings.join('')).toMatch(/cannot fetch the JWKS .* \(HTTP 503\); keeping the keys fetched/);
    // Past maxAge + maxStale: no keys any more, and the server says so (503), it does not blame the token.
    idp.goDown('reset');
    await sleep(timing.maxAgeMs + timing.maxStaleMs - (Date.now() - fetchedAt) + 50);
    expect(await verify(a)).toMatchObject({ ok: false, unavailable: true });
    // Back up: the next fetch after the cooldown brings the keys back.
    idp.publish(a);
    await sleep(timing.cooldownMs + 20);
    expect((await verify(a)).ok).toBe(true);
    await idp.close();
  });

  it('has no keys while the provider was never reachable, and asks again only after the cooldown', async () => {
    const idp = await startIdp(a);
    idp.goDown('503');
    const { keys, verify } = setup(idp, { maxAgeMs: 60_000, cooldownMs: 200, maxStaleMs: 60_000 });
    await keys.refresh();
    const results = await Promise.all(Array.from({ length: 20 }, () => verify(a)));
    expect(results.every((result) => !result.ok && result.unavailable)).toBe(true);
    expect(idp.fetches()).toBe(1);
    idp.publish(a);
    await sleep(250);
    expect((await verify(a)).ok).toBe(true);
    expect(idp.fetches()).toBe(2);
    await idp.close();
  });
});

describe('serve --jwks-url', () => {
  let idp: IdpStub;
  let serve: RunningServe;
  let dir: Awaited<ReturnType<typeof tempDir>>;
  let a: TestKey;
  let b: TestKey;
  beforeAll(async () => {
    [a, b] = await Promise.all([makeKey(), makeKey()]);
    idp = await startIdp(a);
    dir = await tempDir();
    await dir.write('mcpctl.json', JSON.stringify({ auth: { jwksUrl: idp.url, issuer, jwksCooldown: '1s' } }));
    serve = await startServe([spyServer], { cwd: dir.path });
  });
  afterAll(async () => {
    expect(await serve.stop()).toBe(0);
    await idp.close();
    await dir.remove();
  });

  it('fetches the keys at start, survives an unknown-kid burst with one fetch, picks up rotation, rides out an outage', async () => {
    expect(idp.fetches()).toBe(1);
    const client = await connectHttp(serve.url, { token: await sign(a, claimsFor(serve.url)) });
    expect((await client.callTool({ name: 'echo', arguments: { message: 'hi' } })).content).toEqual([{ type: 'text', text: 'hi' }]);
    await client.close();
    expect(idp.fetches()).toBe(1);

    await new Promise((resolve) => setTimeout(resolve, 1050));
    const stranger = await makeKey();
    const burst = await Promise.all(Array.from({ length: 30 }, async (_, i) => (await rawPost(serve.url, { jsonrpc: '2.0', id: 1, method: 'ping' }, bearer(await sign(stranger, claimsFor(serve.url), { kid: `k${i}` })))).status));
    expect(burst.every((status) => status === 401)).toBe(true);
    expect(idp.fetches()).toBe(2);

    idp.publish(a, b);
    await new Promise((resolve) => setTimeout(resolve, 1050));
    const rotated = await connectHttp(serve.url, { token: await sign(b, claimsFor(serve.url)) });
    expect((await rotated.callTool({ name: 'echo', arguments: { message: 'rotated' } })).content).toEqual([{ type: 'text', text: 'rotated' }]);
    await rotated.close();
    expect(idp.fetches()).toBe(3);

    idp.goDown('503');
    const during = await connectHttp(serve.url, { token: await sign(a, claimsFor(serve.url)) });
    expect((await during.callTool({ name: 'echo', arguments: { message: 'still' } })).content).toEqual([{ type: 'text', text: 'still' }]);
    await during.close();
    expect(idp.fetches()).toBe(3);
  });
});
