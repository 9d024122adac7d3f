import { spawn } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { setTimeout as sleep } from 'node:timers/promises';
import { importPKCS8, SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { devPaths, initDevKeys, readDevSettings } from '../../src/auth/dev-keys.js';
import { mintDevToken } from '../../src/auth/mint.js';
import { connectServeStdio, echoServer, mcpctlBin } from '../helpers/serve.js';
import { now, tempDir } from './helpers.js';

/** Runs `mcpctl serve … ` over stdio expecting it to refuse to start; resolves to its exit code and stderr. */
function serveFails(args: string[], cwd: string, env: Record<string, string | undefined>): Promise<{ code: number | null; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [mcpctlBin, 'serve', ...args], { cwd, env: { ...process.env, MCPCTL_TOKEN: undefined, ...env }, stdio: ['pipe', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    child.stdout.resume();
    child.on('exit', (code) => resolve({ code, stderr }));
  });
}

describe('stdio front: MCPCTL_TOKEN', () => {
  let dir: Awaited<ReturnType<typeof tempDir>>;
  beforeAll(async () => {
    dir = await tempDir();
    await initDevKeys(dir.path);
  });
  afterAll(() => dir.remove());

  it('a valid token: its scopes apply to every request', async () => {
    const token = await mintDevToken({ sub: 'alice', scope: 'tools:echo', cwd: dir.path });
    const client = await connectServeStdio([echoServer, '--dev'], { cwd: dir.path, env: { MCPCTL_TOKEN: token } });
    expect((await client.listTools()).tools.map((tool) => tool.name)).toEqual(['echo']);
    expect((await client.callTool({ name: 'echo', arguments: { message: 'hi' } })).content).toEqual([{ type: 'text', text: 'hi' }]);
    await expect(client.callTool({ name: 'fail', arguments: {} })).rejects.toMatchObject({ code: -32009, message: expect.stringContaining('needs the scope tools:fail') });
    await client.close();
  });

  it('refuses to start without a token, with an invalid one and with an expired one: one line, exit 3', async () => {
    const missing = await serveFails([echoServer, '--dev'], dir.path, {});
    expect(missing.code).toBe(3);
    expect(missing.stderr).toMatch(/^mcpctl warn: --dev.*\nmcpctl: auth is on and MCPCTL_TOKEN is not set: .*\n.*token mint.*\n$/);

    const token = await mintDevToken({ sub: 'alice', scope: 'tools:echo', cwd: dir.path });
    const tampered = `${token.slice(0, -6)}AAAAAA`;
    const invalid = await serveFails([echoServer, '--dev'], dir.path, { MCPCTL_TOKEN: tampered });
    expect(invalid.code).toBe(3);
    expect(invalid.stderr).toContain('mcpctl: MCPCTL_TOKEN was refused: the token signature is invalid\n');

    const settings = await readDevSettings(dir.path);
    const key = await importPKCS8(await readFile(devPaths(dir.path).privateKey, 'utf8'), 'ES256');
    const expiredToken = await new SignJWT({ iss: settings.issuer, aud: settings.audience, sub: 'alice', iat: now() - 600, exp: now() - 300, scope: 'tools:call' })
      .setProtectedHeader({ alg: 'ES256', kid: settings.kid })
      .sign(key);
    const expired = await serveFails([echoServer, '--dev'], dir.path, { MCPCTL_TOKEN: expiredToken });
    expect(expired.code).toBe(3);
    expect(expired.stderr).toContain('mcpctl: MCPCTL_TOKEN was refused: the token has expired\n');
    expect(expired.stderr).not.toMatch(/\n\s+at /);
  });

  it('ends the session\'s rights when its token expires', async () => {
    // 5 s: time for serve to start and verify it even on a loaded machine (2 s was not, once).
    const token = await mintDevToken({ sub: 'alice', scope: 'tools:echo', ttl: '5s', cwd: dir.path });
    const expiresAt = (now() + 5) * 1000;
    const client = await connectServeStdio([echoServer, '--dev', '--clock-tolerance', '0s'], { cwd: dir.path, env: { MCPCTL_TOKEN: token } });
    expect((await client.callTool({ name: 'echo', arguments: { message: 'before' } })).content).toEqual([{ type: 'text', text: 'before' }]);
    await sleep(Math.max(0, expiresAt - Date.now()) + 100);
    await expect(client.callTool({ name: 'echo', arguments: { message: 'after' } })).rejects.toMatchObject({ code: -32009, message: expect.stringContaining('the token has expired') });
    await client.close();
  });
});
