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

/** The key set's clock, advanced by the tests instead of sleeping: cooldowns and ages are exact. */
function manualClock(): { now: () => number; advance(ms: number): void } {
  let now = Date.now();
  return { now: () => now, advance: (ms) => void (now += ms) };
}

function setup(idp: IdpStub, timing: { maxAgeMs: number; cooldownMs: number; maxStaleMs: number }) {
  const warnings: string[] = [];
  const logger = createLogger({ write: (line) => warnings.push(line) });
  const clock = manualClock();
  const keys = new RemoteKeySet({ url: new URL(idp.url), logger, now: clock.now, ...timing });
  const verifier = new TokenVerifier(keys.getKey, { issuer, audiences: [aud], algorithms: ['ES256'], clockToleranceMs: 30_000 });
  // A fresh jti each time: a new token, so the verification cache cannot answer for the key set.
  const verify = async (key: TestKey, kid?: string) => verifier.verify(await sign(key, claimsFor(aud), kid === undefined ? {} : { kid }));
  return { keys, verify, warnings, clock };
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
    const { verify, clock } = setup(idp, { maxAgeMs: 60_000, cooldownMs: 1000, maxStaleMs: 60_000 });
    for (let i = 0; i < 20; i++) expect((await verify(a)).ok).toBe(true);
    expect(idp.fetches()).toBe(1);
    const unknown = await Promise.all(Array.from({ length: 50 }, (_, i) => verify(stranger, `unknown-${i}`)));
    expect(unknown.every((result) => !result.ok && result.reason === 'no signing key of this server matches the token (kid)')).toBe(true);
    expect(idp.fetches()).toBe(1);
    clock.advance(999);
    await Promise.all(Array.from({ length: 50 }, (_, i) => verify(stranger, `unknown-${i}`)));
    expect(idp.fetches()).toBe(1);
    clock.advance(1);
    await Promise.all(Array.from({ length: 50 }, (_, i) => verify(stranger, `unknown-${i}`)));
    expect(idp.fetches()).toBe(2);
    await idp.close();
  });

  it('picks up a rotated-in key by its new kid, and drops a retired one', async () => {
    const idp = await startIdp(a);
    const { verify, clock } = setup(idp, { maxAgeMs: 60_000, cooldownMs: 100, maxStaleMs: 60_000 });
    expect((await verify(a)).ok).toBe(true);
    idp.publish(a, b);
    clock.advance(150);
    expect((await verify(b)).ok).toBe(true);
    expect(idp.fetches()).toBe(2);
    idp.publish(b);
    clock.advance(150);
    expect((await verify(stranger, 'another-new-kid')).ok).toBe(false);
    expect(idp.fetches()).toBe(3);
    expect(await verify(a)).toMatchObject({ ok: false, reason: 'no signing key of this server matches the token (kid)' });
    await idp.close();
  });

  it('keeps the last good keys while the provider is down, for a bounded time, without a fetch storm', async () => {
    const idp = await startIdp(a);
    const timing = { maxAgeMs: 300_000, cooldownMs: 30_000, maxStaleMs: 600_000 };
    const { keys, verify, warnings, clock } = setup(idp, timing);
    expect((await verify(a)).ok).toBe(true);
    idp.goDown('503');
    // Past maxAge, within maxStale: every token still verifies with the old keys, and a refresh is tried in the
    // background once per cooldown: 20 steps of 10 s are 200 s, so attempts at 0, 30, 60 … 180 s: 7 of them.
    clock.advance(timing.maxAgeMs + 1);
    let verified = 0;
    for (let step = 0; step < 20; step++) {
      const results = await Promise.all(Array.from({ length: 10 }, () => verify(a)));
      verified += results.filter((result) => result.ok).length;
      await keys.refresh(); // within the cooldown: waits for the background fetch, starts none
      clock.advance(10_000);
    }
    expect(verified).toBe(200);
    expect(idp.fetches()).toBe(1 + 7);
    expect(warnings.join('')).toMatch(/cannot fetch the JWKS .* \(HTTP 503\); keeping the keys fetched 30\ds ago/);
    // Past maxAge + maxStale: no keys any more, and the server says so (503), it does not blame the token.
    idp.goDown('reset');
    clock.advance(timing.maxStaleMs);
    expect(await verify(a)).toMatchObject({ ok: false, unavailable: true });
    // Back up: the next fetch after the cooldown brings the keys back.
    idp.publish(a);
    expect(await verify(a)).toMatchObject({ ok: false, unavailable: true });
    clock.advance(timing.cooldownMs);
    expect((await verify(a)).ok).toBe(true);
    await idp.close();
  });

  it('has no keys while the provider was never reachable, and asks again only after the cooldown', async () => {
    const idp = await startIdp(a);
    idp.goDown('503');
    const { keys, verify, clock } = setup(idp, { maxAgeMs: 60_000, cooldownMs: 200, maxStaleMs: 60_000 });
    await keys.refresh();
    const results = await Promise.all(Array.from({ length: 20 }, () => verify(a)));
    expect(results.every((result) => !result.ok && result.unavailable)).toBe(true);
    expect(idp.fetches()).toBe(1);
    idp.publish(a);
    clock.advance(199);
    expect((await verify(a)).ok).toBe(false);
    expect(idp.fetches()).toBe(1);
    clock.advance(1);
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
