import { fileURLToPath } from 'node:url';
import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import type { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectHttp, startServe, type RunningServe } from '../helpers/serve.js';
import { claimsFor, initializeRequest, jwksOf, makeKey, now, rawPost, sign, signHmac, tempDir, unsigned, type RawAnswer, type TestKey } from './helpers.js';

const spyServer = fileURLToPath(new URL('./fixtures/spy-server.mjs', import.meta.url));
const issuer = 'https://issuer.test/';

/** Each hostile credential, as the value of the Authorization header, built against the server's key and URL. */
function attacks(key: TestKey, stranger: TestKey, aud: string, keySet: boolean): [string, () => Promise<string>][] {
  const valid = (overrides: Record<string, unknown> = {}) => claimsFor(aud, overrides);
  const tamper = (token: string, part: 1 | 2): string => {
    const parts = token.split('.');
    if (part === 1) parts[1] = Buffer.from(JSON.stringify(valid({ sub: 'alice', scope: 'tools:call admin' }))).toString('base64url');
    else {
      const middle = Math.floor(parts[2]!.length / 2);
      parts[2] = parts[2]!.slice(0, middle) + (parts[2]![middle] === 'A' ? 'B' : 'A') + parts[2]!.slice(middle + 1);
    }
    return parts.join('.');
  };
  return [
    ['alg none', async () => `Bearer ${unsigned(valid())}`],
    ['HS256 signed with the public key (PEM)', async () => `Bearer ${await signHmac(key.spki, valid(), key.kid)}`],
    ['HS256 signed with the public key (JWK)', async () => `Bearer ${await signHmac(JSON.stringify(key.publicJwk), valid(), key.kid)}`],
    ['expired', async () => `Bearer ${await sign(key, valid({ iat: now() - 4000, exp: now() - 3600 }))}`],
    ['nbf in the future', async () => `Bearer ${await sign(key, valid({ nbf: now() + 3600 }))}`],
    ['iat in the future', async () => `Bearer ${await sign(key, valid({ iat: now() + 3600, exp: now() + 7200 }))}`],
    ['no exp', async () => `Bearer ${await sign(key, valid({ exp: undefined }))}`],
    ['no iat', async () => `Bearer ${await sign(key, valid({ iat: undefined }))}`],
    ['no sub', async () => `Bearer ${await sign(key, valid({ sub: undefined }))}`],
    ['wrong iss', async () => `Bearer ${await sign(key, valid({ iss: 'https://evil.test/' }))}`],
    ['wrong aud', async () => `Bearer ${await sign(key, valid({ aud: 'https://other.example/api' }))}`],
    ['a token for another resource', async () => `Bearer ${await sign(key, valid({ aud: aud.replace(/:\d+\//, ':1/') }))}`],
    ['unknown kid (a stranger key)', async () => `Bearer ${await sign(stranger, valid())}`],
    // A single PEM key verifies whatever kid a token names; a key set must find the kid.
    ...(keySet ? [['unknown kid (our key)', async () => `Bearer ${await sign(key, valid(), { kid: 'unknown-kid' })}`] as [string, () => Promise<string>]] : []),
    ['a stranger key claiming our kid', async () => `Bearer ${await sign(stranger, valid(), { kid: key.kid })}`],
    ['tampered payload', async () => `Bearer ${tamper(await sign(key, valid({ scope: 'tools:echo' })), 1)}`],
    ['tampered signature', async () => `Bearer ${tamper(await sign(key, valid()), 2)}`],
    ['garbage', async () => 'Bearer garbage'],
    ['garbage characters', async () => 'Bearer <script>!'],
    ['empty Bearer', async () => 'Bearer'],
    ['empty Bearer with a space', async () => 'Bearer   '],
    ['trailing junk', async () => `Bearer ${await sign(key, valid())} junk`],
    ['two credentials in one header', async () => `Bearer ${await sign(key, valid())}, Bearer ${await sign(key, valid())}`],
    ['a 10 KB token', async () => `Bearer ${'a'.repeat(10 * 1024)}`],
    ['a 64 KB token', async () => `Bearer ${'a'.repeat(64 * 1024)}`],
  ];
}

const setups = [
  { name: 'ES256 keys from --jwks-file', alg: 'ES256', keySet: true, flags: (file: string) => ['--jwks-file', file], file: (key: TestKey) => JSON.stringify(jwksOf(key)) },
  { name: 'an RSA --public-key', alg: 'RS256', keySet: false, flags: (file: string) => ['--public-key', file], file: (key: TestKey) => key.spki },
];

describe.each(setups)('hostile tokens against $name', (setup) => {
  let dir: Awaited<ReturnType<typeof tempDir>>;
  let serve: RunningServe;
  let key: TestKey;
  let stranger: TestKey;
  let alice: Client;
  let sessionId: string;
  let legitimateCalls = 0;

  const callCount = (headers: Record<string, string | string[]>, id = 7): Promise<RawAnswer> =>
    rawPost(serve.url, { jsonrpc: '2.0', id, method: 'tools/call', params: { name: 'count', arguments: {} } }, { 'mcp-session-id': sessionId, 'mcp-protocol-version': '2025-11-25', ...headers });
  const validToken = (overrides: Record<string, unknown> = {}) => sign(key, claimsFor(serve.url, overrides));

  beforeAll(async () => {
    dir = await tempDir();
    key = await makeKey(setup.alg);
    stranger = await makeKey(setup.alg, 'stranger');
    const file = await dir.write('key', setup.file(key));
    serve = await startServe([spyServer, ...setup.flags(file), '--issuer', issuer], { cwd: dir.path });
    alice = await connectHttp(serve.url, { token: await validToken() });
    sessionId = (alice.transport as StreamableHTTPClientTransport).sessionId!;
    await alice.callTool({ name: 'count', arguments: {} });
    legitimateCalls++;
  });
  afterAll(async () => {
    await alice?.close();
    expect(await serve.stop()).toBe(0);
    await dir.remove();
  });

  it('answers a request without a token with 401 and the metadata URL, no error code', async () => {
    const answer = await rawPost(serve.url, initializeRequest);
    expect(answer.status).toBe(401);
    const metadataUrl = serve.url.replace('/mcp', '/.well-known/oauth-protected-resource/mcp');
    expect(answer.headers['www-authenticate']).toBe(`Bearer resource_metadata="${metadataUrl}"`);
    expect(JSON.parse(answer.body)).toMatchObject({ jsonrpc: '2.0', id: null, error: { code: -32009 } });
    const metadata = await (await fetch(metadataUrl)).json();
    expect(metadata).toEqual({ resource: serve.url, authorization_servers: [issuer], scopes_supported: ['tools:call', 'resources:read', 'prompts:get'], bearer_methods_supported: ['header'] });
    expect(await (await fetch(serve.url.replace('/mcp', '/.well-known/oauth-protected-resource'))).json()).toEqual(metadata);
  });

  it('refuses every hostile token with 401 invalid_token, and none reaches the tool', async () => {
    for (const [name, credential] of attacks(key, stranger, serve.url, setup.keySet)) {
      const sent = callCount({ authorization: await credential() });
      if (name === 'a 64 KB token') {
        // Past Node's own header limit, Node answers 431 and drops the connection before mcpctl sees the request.
        const outcome = await sent.then((answer) => answer.status, (error: NodeJS.ErrnoException) => error.code);
        expect(outcome === 431 || outcome === 'ECONNRESET' || outcome === 'EPIPE' || outcome === 401, `${name}: ${outcome}`).toBe(true);
        continue;
      }
      const answer = await sent;
      expect(answer.status, name).toBe(401);
      const challenge = answer.headers['www-authenticate'] as string;
      expect(challenge, name).toMatch(/^Bearer error="invalid_token", error_description="[^"\\]+", resource_metadata="http:\/\/127\.0\.0\.1:\d+\/\.well-known\/oauth-protected-resource\/mcp"$/);
      expect(JSON.parse(answer.body), name).toMatchObject({ jsonrpc: '2.0', id: null, error: { code: -32009 } });
    }
    expect((await alice.callTool({ name: 'calls', arguments: {} })).content).toEqual([{ type: 'text', text: String(legitimateCalls) }]);
    expect(serve.stderr()).toContain('authentication failed');
  });

  it('refuses a duplicated Authorization header as a malformed request', async () => {
    const token = await validToken();
    const answer = await callCount({ authorization: [`Bearer ${token}`, `Bearer ${token}`] });
    expect(answer.status).toBe(400);
    expect(answer.headers['www-authenticate']).toContain('error="invalid_request"');
    expect((await alice.callTool({ name: 'calls', arguments: {} })).content).toEqual([{ type: 'text', text: String(legitimateCalls) }]);
  });

  it('ignores a token in the query string, and treats another scheme as no token', async () => {
    const token = await validToken();
    const query = await rawPost(`${serve.url}?access_token=${token}`, initializeRequest);
    expect(query.status).toBe(401);
    expect(query.headers['www-authenticate']).not.toContain('error=');
    const basic = await callCount({ authorization: `Basic ${Buffer.from('alice:pw').toString('base64')}` });
    expect(basic.status).toBe(401);
    expect(basic.headers['www-authenticate']).not.toContain('error=');
  });

  it('accepts the scheme in any case (RFC 7235), e.g. a lowercase bearer', async () => {
    for (const scheme of ['bearer', 'BEARER']) {
      const answer = await callCount({ authorization: `${scheme} ${await validToken()}` });
      expect(answer.status, scheme).toBe(200);
      legitimateCalls++;
    }
    expect((await alice.callTool({ name: 'calls', arguments: {} })).content).toEqual([{ type: 'text', text: String(legitimateCalls) }]);
  });

  it('binds a session to its caller: another subject\'s valid token cannot use it', async () => {
    const answer = await callCount({ authorization: `Bearer ${await validToken({ sub: 'mallory' })}` });
    expect(answer.status).toBe(403);
    expect((await alice.callTool({ name: 'calls', arguments: {} })).content).toEqual([{ type: 'text', text: String(legitimateCalls) }]);
  });
});
