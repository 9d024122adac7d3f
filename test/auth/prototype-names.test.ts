import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { initDevKeys } from '../../src/auth/dev-keys.js';
import { mintDevToken } from '../../src/auth/mint.js';
import { ErrorCode } from '../../src/gateway/jsonrpc.js';
import { connectHttp, echoServer, startServe, type RunningServe } from '../helpers/serve.js';
import { bearer, initializeRequest, rawPost, tempDir } from './helpers.js';

// Names that every plain JavaScript object answers to: a scope or budget lookup by such a name must find nothing,
// so the caller gets the scope refusal or the server's own answer, never an internal error (-32603).
const prototypeNames = ['constructor', '__proto__', 'toString', 'hasOwnProperty', 'valueOf'];

describe('tool, resource and prompt names that are Object.prototype keys, through mcpctl serve --dev with limits', () => {
  let dir: Awaited<ReturnType<typeof tempDir>>;
  let serve: RunningServe;
  const token = (sub: string, scope: string) => mintDevToken({ sub, scope, cwd: dir.path });

  beforeAll(async () => {
    dir = await tempDir();
    await initDevKeys(dir.path);
    await dir.write('mcpctl.json', JSON.stringify({ auth: { dev: true, tools: { fail: ['ops'] } }, rateLimit: { default: '100/min', tools: { constructor: '1/min' } } }));
    serve = await startServe([echoServer], { cwd: dir.path });
  });
  afterAll(async () => {
    expect(await serve.stop()).toBe(0);
    await dir.remove();
  });

  it('a token without the scope gets 403 insufficient_scope for each, before the server', async () => {
    const narrow = bearer(await token('mallory', 'tools:echo'));
    const session = { ...narrow, 'mcp-session-id': (await rawPost(serve.url, initializeRequest, narrow)).headers['mcp-session-id'] as string };
    const requests = [
      ...prototypeNames.map((name) => ({ method: 'tools/call', params: { name, arguments: {} }, scope: `tools:${name}` })),
      { method: 'resources/read', params: { uri: 'constructor' }, scope: 'resources:constructor' },
      { method: 'prompts/get', params: { name: 'toString' }, scope: 'prompts:toString' },
    ];
    for (const [index, { method, params, scope }] of requests.entries()) {
      const answer = await rawPost(serve.url, { jsonrpc: '2.0', id: index + 2, method, params }, session);
      expect(answer.status, answer.body).toBe(403);
      expect(answer.headers['www-authenticate']).toContain(`error="insufficient_scope", scope="${scope}"`);
      expect(JSON.parse(answer.body)).toMatchObject({ id: index + 2, error: { code: ErrorCode.unauthorized, data: { scope } } });
    }
  });

  it('a token with tools:call gets the server\'s own answer, and the per-tool budget named "constructor" applies', async () => {
    const alice = await connectHttp(serve.url, { token: await token('alice', 'tools:call') });
    for (const name of prototypeNames) {
      const result = await alice.callTool({ name, arguments: {} });
      expect(result).toMatchObject({ isError: true, content: [{ type: 'text', text: expect.stringContaining(`Tool ${name} `) }] });
    }
    await expect(alice.callTool({ name: 'constructor', arguments: {} })).rejects.toMatchObject({ code: 429 });
    await alice.close();
    expect(serve.stderr()).toMatch(/tools\/call .*target=constructor .*caller=alice .*outcome=tool-error/);
    expect(serve.stderr()).toMatch(/rate limited caller=alice tool=constructor scope=tool limit=1\/min/);
    expect(serve.stderr()).not.toContain('-32603');
  });

  it('the gateway stays up: a second caller\'s call succeeds', async () => {
    const bob = await connectHttp(serve.url, { token: await token('bob', 'tools:echo') });
    expect((await bob.callTool({ name: 'echo', arguments: { message: 'still here' } })).content).toEqual([{ type: 'text', text: 'still here' }]);
    await bob.close();
  });
});
