import { execFile } from 'node:child_process';
import { readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { decodeJwt } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectHttp, echoServer, mcpctlBin, startServe } from '../helpers/serve.js';
import { tempDir } from './helpers.js';

const run = promisify(execFile);

/** Runs the built CLI; resolves to its exit code and output, whatever the code. */
async function mcpctl(args: string[], cwd: string): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run(process.execPath, [mcpctlBin, ...args], { cwd });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code: number; stdout: string; stderr: string };
    return { code: failed.code, stdout: failed.stdout, stderr: failed.stderr };
  }
}

describe('dev loop: keys init, token mint, serve --dev', () => {
  let dir: Awaited<ReturnType<typeof tempDir>>;
  beforeAll(async () => {
    dir = await tempDir();
  });
  afterAll(() => dir.remove());

  it('keys init writes a 0600 private key, a public JWKS and dev.json into a git-ignored .mcpctl/, once', async () => {
    const first = await mcpctl(['keys', 'init'], dir.path);
    expect(first.code).toBe(0);
    expect(first.stdout).toContain('.mcpctl/signing-key.pem (private, mode 0600)');
    const paths = { key: join(dir.path, '.mcpctl/signing-key.pem'), jwks: join(dir.path, '.mcpctl/jwks.json'), dev: join(dir.path, '.mcpctl/dev.json') };
    expect((await stat(paths.key)).mode & 0o777).toBe(0o600);
    expect(await readFile(join(dir.path, '.mcpctl/.gitignore'), 'utf8')).toBe('*\n');
    const jwks = JSON.parse(await readFile(paths.jwks, 'utf8')) as { keys: Record<string, unknown>[] };
    expect(jwks.keys).toHaveLength(1);
    expect(jwks.keys[0]).toMatchObject({ kty: 'EC', crv: 'P-256', alg: 'ES256', use: 'sig' });
    expect(jwks.keys[0]).not.toHaveProperty('d');
    const dev = JSON.parse(await readFile(paths.dev, 'utf8')) as Record<string, string>;
    expect(dev).toMatchObject({ issuer: 'mcpctl-dev', audience: 'mcpctl-dev', kid: jwks.keys[0]!.kid });

    const again = await mcpctl(['keys', 'init'], dir.path);
    expect(again.code).toBe(0);
    expect(again.stdout).toContain('already exist');
    expect(JSON.parse(await readFile(paths.dev, 'utf8'))).toEqual(dev);
  });

  it('token mint prints a JWT with the dev issuer and audience, or its claims with --json', async () => {
    const plain = await mcpctl(['token', 'mint', '--sub', 'alice', '--scope', 'tools:echo'], dir.path);
    expect(plain.code).toBe(0);
    expect(plain.stdout).toMatch(/^[\w-]+\.[\w-]+\.[\w-]+\n$/);
    const claims = decodeJwt(plain.stdout.trim());
    expect(claims).toMatchObject({ iss: 'mcpctl-dev', aud: 'mcpctl-dev', sub: 'alice', scope: 'tools:echo' });
    expect(claims.exp! - claims.iat!).toBe(300);

    const json = await mcpctl(['token', 'mint', '--sub', 'bob', '--scope', 'tools:echo', '--scope', 'prompts:get', '--ttl', '1h', '--aud', 'https://api.test/mcp', '--iss', 'me', '--json'], dir.path);
    const minted = JSON.parse(json.stdout) as { token: string; claims: Record<string, unknown> };
    expect(minted.claims).toMatchObject({ iss: 'me', aud: 'https://api.test/mcp', sub: 'bob', scope: 'tools:echo prompts:get' });
    expect(decodeJwt(minted.token)).toEqual(minted.claims);
  });

  it('serve --dev accepts minted tokens on any port, with no other flag', async () => {
    const serve = await startServe([echoServer, '--dev'], { cwd: dir.path });
    const token = (await mcpctl(['token', 'mint', '--sub', 'alice', '--scope', 'tools:echo'], dir.path)).stdout.trim();
    const client = await connectHttp(serve.url, { token });
    expect((await client.listTools()).tools.map((tool) => tool.name)).toEqual(['echo']);
    expect((await client.callTool({ name: 'echo', arguments: { message: 'dev' } })).content).toEqual([{ type: 'text', text: 'dev' }]);
    await client.close();
    // A token bound to this server's own URL works too; one for another audience does not.
    const bound = (await mcpctl(['token', 'mint', '--sub', 'alice', '--scope', 'tools:echo', '--aud', serve.url], dir.path)).stdout.trim();
    expect((await (await connectHttp(serve.url, { token: bound })).listTools()).tools).toHaveLength(1);
    const other = (await mcpctl(['token', 'mint', '--sub', 'alice', '--aud', 'https://elsewhere.test/mcp'], dir.path)).stdout.trim();
    await expect(connectHttp(serve.url, { token: other })).rejects.toThrow();
    expect(serve.stderr()).toContain('--dev: trusting the local dev key');
    expect(await serve.stop()).toBe(0);
  });

  it('--no-auth serves without auth and says so', async () => {
    const serve = await startServe([echoServer, '--dev', '--no-auth'], { cwd: dir.path });
    const client = await connectHttp(serve.url);
    expect((await client.listTools()).tools.length).toBeGreaterThan(1);
    await client.close();
    expect(serve.stderr()).toContain('auth is off');
    expect(await serve.stop()).toBe(0);
  });

  it('says to run keys init when there are no dev keys', async () => {
    const empty = await tempDir();
    const mint = await mcpctl(['token', 'mint', '--sub', 'alice'], empty.path);
    expect(mint.code).toBe(2);
    expect(mint.stderr).toMatch(/no dev keys: \.mcpctl\/dev\.json does not exist\n.*mcpctl keys init/);
    const serve = await mcpctl(['serve', echoServer, '-t', 'http', '--port', '0', '--dev'], empty.path);
    expect(serve.code).toBe(2);
    expect(serve.stderr).toContain('mcpctl keys init');
    await empty.remove();
  });
});
