import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { initDevKeys } from '../../src/auth/dev-keys.js';
import { mintDevToken } from '../../src/auth/mint.js';
import { connectHttp, connectServeStdio, startServe } from '../helpers/serve.js';
import { tempDir } from './helpers.js';

const spyServer = fileURLToPath(new URL('./fixtures/spy-server.mjs', import.meta.url));

/** Everything the spy child recorded: its environment and every byte it read on stdin. */
async function recorded(file: string): Promise<string> {
  const text = await readFile(file, 'utf8');
  expect(text).toContain('ENV {');
  expect(text).toContain('"method":"tools/call"');
  return text;
}

describe('the token never travels on to the server', () => {
  let dir: Awaited<ReturnType<typeof tempDir>>;
  beforeAll(async () => {
    dir = await tempDir();
    await initDevKeys(dir.path);
  });
  afterAll(() => dir.remove());

  it('HTTP front, child back: neither the child\'s environment nor its messages hold the bearer token', async () => {
    const spyFile = join(dir.path, 'http-spy.log');
    const token = await mintDevToken({ sub: 'alice', scope: 'tools:call', cwd: dir.path });
    // MCPCTL_TOKEN in serve's own environment must not reach the child either.
    const stdioToken = await mintDevToken({ sub: 'bob', scope: 'tools:call', cwd: dir.path });
    const serve = await startServe(['--dev', '--', process.execPath, spyServer], { cwd: dir.path, env: { SPY_FILE: spyFile, MCPCTL_TOKEN: stdioToken } });
    const client = await connectHttp(serve.url, { token });
    expect((await client.callTool({ name: 'echo', arguments: { message: 'hi' } })).content).toEqual([{ type: 'text', text: 'hi' }]);
    const extra = (await client.callTool({ name: 'extra', arguments: {} })).content as { text: string }[];
    await client.close();
    await serve.stop();
    const seen = (await recorded(spyFile)) + extra[0]!.text;
    for (const secret of [token, stdioToken, token.split('.')[2]!]) expect(seen).not.toContain(secret);
    expect(seen.toLowerCase()).not.toContain('authorization');
    expect(seen).not.toContain('MCPCTL_TOKEN');
  });

  it('stdio front, child back: MCPCTL_TOKEN is verified by the gateway and withheld from the child', async () => {
    const spyFile = join(dir.path, 'stdio-spy.log');
    const token = await mintDevToken({ sub: 'alice', scope: 'tools:echo', cwd: dir.path });
    const client = await connectServeStdio(['--dev', '--', process.execPath, spyServer], { cwd: dir.path, env: { MCPCTL_TOKEN: token, SPY_FILE: spyFile } });
    expect((await client.listTools()).tools.map((tool) => tool.name)).toEqual(['echo']);
    expect((await client.callTool({ name: 'echo', arguments: { message: 'hi' } })).content).toEqual([{ type: 'text', text: 'hi' }]);
    await client.close();
    const seen = await recorded(spyFile);
    expect(seen).not.toContain(token);
    expect(seen).not.toContain(token.split('.')[2]!);
    expect(seen).not.toContain('MCPCTL_TOKEN');
  });

  it('module back: handlers see the verified caller in authInfo, never the token or the request headers', async () => {
    const token = await mintDevToken({ sub: 'alice', scope: 'tools:extra', cwd: dir.path });
    const serve = await startServe([spyServer, '--dev'], { cwd: dir.path });
    const client = await connectHttp(serve.url, { token });
    const [content] = (await client.callTool({ name: 'extra', arguments: {} })).content as { text: string }[];
    await client.close();
    await serve.stop();
    const extra = JSON.parse(content!.text) as { authInfo: Record<string, unknown>; requestInfo?: unknown };
    expect(extra.authInfo).toMatchObject({ token: '', clientId: 'alice', scopes: ['tools:extra'] });
    expect(content!.text).not.toContain(token.split('.')[2]!);
    expect(content!.text.toLowerCase()).not.toContain('authorization');
  });
});
