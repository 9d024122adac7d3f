import { generateKeyPairSync } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { initDevKeys } from '../../src/auth/dev-keys.js';
import { createAuth, type AuthEnvironment } from '../../src/auth/index.js';
import { authSection, type AuthConfig } from '../../src/auth/schema.js';
import type { Caller, Feature, HttpRefusal } from '../../src/gateway/index.js';
import { createLogger } from '../../src/log.js';
import { settingsOf } from '../../src/setting-rows.js';
import { claimsFor, jwksOf, makeKey, sign, signHmac, tempDir, type TestKey } from './helpers.js';

const resourceUrl = 'http://127.0.0.1:8080/mcp';
/** The `auth` section of mcpctl.json as createAuth takes it, through the settings table. */
const authOf = (config: AuthConfig) => settingsOf(authSection.keys, config);
const issuer = 'https://issuer.test/';

/** The JSON a feature's GET route answers with, as the HTTP front would serve it. */
function documentAt(feature: Feature | undefined, path: string): unknown {
  const answer = feature!.routes!.get(path)!({ sessions: 0, maxSessions: 1, saturated: false, stopping: false });
  expect(answer.status).toBe(200);
  return answer.body;
}

describe('createAuth', () => {
  let dir: Awaited<ReturnType<typeof tempDir>>;
  let key: TestKey;
  let lines: string[] = [];
  const environment = (overrides: Partial<AuthEnvironment> = {}): AuthEnvironment => ({
    front: 'http',
    resourceUrl,
    logger: createLogger({ write: (line) => lines.push(line) }),
    cwd: dir.path,
    env: {},
    ...overrides,
  });
  const fails = (config: AuthConfig, pattern: RegExp, overrides: Partial<AuthEnvironment> = {}) => expect((async () => createAuth(authOf(config), environment(overrides)))()).rejects.toThrow(pattern);

  beforeAll(async () => {
    dir = await tempDir();
    key = await makeKey();
    await dir.write('jwks.json', JSON.stringify(jwksOf(key)));
    await dir.write('ec.pem', key.spki);
    const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    await dir.write('private.pem', privateKey.export({ type: 'pkcs8', format: 'pem' }) as string);
    await dir.write('private-jwks.json', JSON.stringify({ keys: [privateKey.export({ format: 'jwk' })] }));
    const weak = generateKeyPairSync('rsa', { modulusLength: 1024 });
    await dir.write('weak.pem', weak.publicKey.export({ type: 'spki', format: 'pem' }) as string);
  });
  afterAll(() => dir.remove());

  it('is off without an auth config', async () => {
    expect(await createAuth(undefined, environment())).toBeUndefined();
  });

  it('refuses configs that would verify badly, each with one clear line', async () => {
    await fails({ issuer }, /no key verifies tokens/);
    await fails({ issuer, jwksFile: 'jwks.json', publicKey: 'ec.pem' }, /give one source of keys, not --jwks-file and --public-key/);
    await fails({ jwksFile: 'jwks.json' }, /auth needs the issuer/);
    await fails({ issuer, jwksFile: 'jwks.json' }, /on stdio there is no server URL .* give --audience/, { front: 'stdio', resourceUrl: undefined });
    await fails({ issuer, jwksFile: 'jwks.json', algorithms: ['none'] }, /must not list "none"/);
    await fails({ issuer, publicKey: 'ec.pem', algorithms: ['HS256'] }, /lists HS256, which public key ec\.pem cannot verify/);
    await fails({ issuer, publicKey: 'ec.pem', algorithms: ['RS256'] }, /lists RS256/);
    await fails({ issuer, publicKey: 'private.pem' }, /is a private key: give the public key/);
    await fails({ issuer, publicKey: 'weak.pem' }, /under 2048 bits/);
    await fails({ issuer, publicKey: 'missing.pem' }, /cannot read missing\.pem: no such file/);
    await fails({ issuer, jwksFile: 'private-jwks.json' }, /holds a private or secret key/);
    await fails({ issuer, secretEnv: 'AUTH_SECRET' }, /AUTH_SECRET: the variable is not set/);
    await fails({ issuer, secretEnv: 'AUTH_SECRET' }, /is 5 bytes: HS256 needs at least 32/, { env: { AUTH_SECRET: 'short' } });
    await fails({ issuer, secretEnv: 'AUTH_SECRET', algorithms: ['ES256'] }, /lists ES256/, { env: { AUTH_SECRET: 'x'.repeat(32) } });
    await fails({ issuer, jwksUrl: 'ftp://idp.test/jwks' }, /must be an http\(s\) URL/);
    await fails({ dev: true }, /no dev keys: \.mcpctl\/dev\.json does not exist/);
    await fails({ issuer, jwksFile: 'jwks.json', clockTolerance: 'soon' }, /invalid clock tolerance "soon"/);
  });

  it('serves RFC 9728 metadata at the well-known paths, naming the issuer and the configured scopes', async () => {
    const auth = await createAuth(authOf({ issuer, jwksFile: 'jwks.json', tools: { admin: ['ops', 'root'] } }), environment());
    expect([...auth!.routes!.keys()]).toEqual(expect.arrayContaining(['/.well-known/oauth-protected-resource', '/.well-known/oauth-protected-resource/mcp']));
    expect(documentAt(auth, '/.well-known/oauth-protected-resource/mcp')).toEqual({
      resource: resourceUrl,
      authorization_servers: [issuer],
      scopes_supported: ['tools:call', 'resources:read', 'prompts:get', 'ops', 'root'],
      bearer_methods_supported: ['header'],
    });
    expect(auth!.description).toBe(`auth: JWKS jwks.json, issuer ${issuer}, audience ${resourceUrl}`);
  });

  it('binds tokens to a configured public audience and names it as the resource', async () => {
    const audience = 'https://mcp.example.com/tools/mcp';
    const auth = await createAuth(authOf({ issuer, jwksFile: 'jwks.json', audience, authorizationServers: ['https://login.example.com/'] }), environment());
    expect(documentAt(auth, '/.well-known/oauth-protected-resource/tools/mcp')).toMatchObject({ resource: audience, authorization_servers: ['https://login.example.com/'] });
    const ours = await auth!.authenticator!.authenticate(new Headers({ authorization: `Bearer ${await sign(key, claimsFor(audience, { iss: issuer }))}` }), '127.0.0.1');
    expect((ours as Caller).sub).toBe('alice');
    const local = (await auth!.authenticator!.authenticate(new Headers({ authorization: `Bearer ${await sign(key, claimsFor(resourceUrl))}` }), '127.0.0.1')) as HttpRefusal;
    expect(local.status).toBe(401);
    expect(local.headers['www-authenticate']).toContain('resource_metadata="https://mcp.example.com/.well-known/oauth-protected-resource/tools/mcp"');
  });

  it('verifies HS256 with --secret-env, warning that it is for development only', async () => {
    lines = [];
    const secret = 'a-long-enough-development-secret-0123456789';
    const auth = await createAuth(authOf({ issuer, secretEnv: 'AUTH_SECRET' }), environment({ env: { AUTH_SECRET: secret } }));
    expect(lines.join('')).toMatch(/mcpctl warn: auth with a shared HS256 secret from AUTH_SECRET is for development only/);
    expect(((await auth!.authenticator!.authenticate(new Headers({ authorization: `Bearer ${await signHmac(secret, claimsFor(resourceUrl))}` }), undefined)) as Caller).sub).toBe('alice');
    expect(((await auth!.authenticator!.authenticate(new Headers({ authorization: `Bearer ${await sign(key, claimsFor(resourceUrl))}` }), undefined)) as HttpRefusal).status).toBe(401);
  });

  it('with --dev accepts the dev audience and the server URL; on stdio verifies MCPCTL_TOKEN at start', async () => {
    await initDevKeys(dir.path);
    const { mintDevToken } = await import('../../src/auth/mint.js');
    const auth = await createAuth(authOf({ dev: true }), environment());
    expect(auth!.description).toMatch(/^auth: dev key \.mcpctl\/jwks\.json, issuer mcpctl-dev, audience mcpctl-dev or http:\/\/127\.0\.0\.1:8080\/mcp$/);
    for (const aud of [undefined, resourceUrl]) {
      const token = await mintDevToken({ sub: 'alice', scope: 'tools:echo', aud, cwd: dir.path });
      expect(((await auth!.authenticator!.authenticate(new Headers({ authorization: `Bearer ${token}` }), undefined)) as Caller).sub).toBe('alice');
    }
    const token = await mintDevToken({ sub: 'carol', scope: 'tools:call', cwd: dir.path });
    const stdio = await createAuth(authOf({ dev: true }), environment({ front: 'stdio', resourceUrl: undefined, env: { MCPCTL_TOKEN: token } }));
    expect(stdio!.authenticator).toBeUndefined();
    expect(stdio!.stdioCaller).toMatchObject({ sub: 'carol', authenticated: true });
    await expect(createAuth(authOf({ dev: true }), environment({ front: 'stdio', resourceUrl: undefined }))).rejects.toMatchObject({ exitCode: 3 });
  });
});
