import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectHttp, echoServer, startServe, type RunningServe } from '../helpers/serve.js';
import { bearer, claimsFor, initializeRequest, jwksOf, makeKey, rawPost, sign, tempDir, type TestKey } from './helpers.js';

const backs = [
  { name: 'module back', args: [echoServer] },
  { name: 'child back', args: ['--', process.execPath, echoServer] },
];

describe.each(backs)('scopes end to end through the SDK client, $name', (back) => {
  let dir: Awaited<ReturnType<typeof tempDir>>;
  let serve: RunningServe;
  let key: TestKey;
  const token = (scope: string) => sign(key, claimsFor(serve.url, { scope }));

  beforeAll(async () => {
    dir = await tempDir();
    key = await makeKey();
    await dir.write('jwks.json', JSON.stringify(jwksOf(key)));
    await dir.write('mcpctl.json', JSON.stringify({ auth: { jwksFile: 'jwks.json', issuer: 'https://issuer.test/', tools: { fail: ['ops'] } } }));
    serve = await startServe(back.args, { cwd: dir.path });
  });
  afterAll(async () => {
    expect(await serve.stop()).toBe(0);
    await dir.remove();
  });

  it('works with a valid token in the Authorization header', async () => {
    const client = await connectHttp(serve.url, { token: await token('tools:call resources:read prompts:get') });
    expect((await client.listTools()).tools.map((tool) => tool.name).sort()).toEqual(['announce', 'ask', 'echo', 'fail', 'roots', 'slow', 'whoami']);
    expect((await client.callTool({ name: 'echo', arguments: { message: 'hi' } })).content).toEqual([{ type: 'text', text: 'hi' }]);
    expect((await client.readResource({ uri: 'test://greeting' })).contents).toEqual([{ uri: 'test://greeting', text: 'hello' }]);
    expect((await client.getPrompt({ name: 'hello', arguments: { name: 'Bo' } })).messages).toHaveLength(1);
    await client.close();
  });

  it('shows a narrow token only its tools and refuses the rest with 403 insufficient_scope, before the server', async () => {
    const narrow = await token('tools:echo');
    const client = await connectHttp(serve.url, { token: narrow });
    expect((await client.listTools()).tools.map((tool) => tool.name)).toEqual(['echo']);
    expect((await client.listResources()).resources).toEqual([]);
    expect((await client.listPrompts()).prompts).toEqual([]);
    expect((await client.callTool({ name: 'echo', arguments: { message: 'ok' } })).content).toEqual([{ type: 'text', text: 'ok' }]);
    await expect(client.callTool({ name: 'fail', arguments: {} })).rejects.toMatchObject({ code: 403, message: expect.stringContaining('needs the scope tools:fail') });
    await client.close();

    const session = await rawPost(serve.url, initializeRequest, bearer(narrow));
    const answer = await rawPost(serve.url, { jsonrpc: '2.0', id: 2, method: 'tools/call', params: { name: 'fail', arguments: {} } }, {
      ...bearer(narrow),
      'mcp-session-id': session.headers['mcp-session-id'] as string,
    });
    expect(answer.status).toBe(403);
    expect(answer.headers['www-authenticate']).toBe(
      `Bearer error="insufficient_scope", scope="tools:fail", resource_metadata="${serve.url.replace('/mcp', '/.well-known/oauth-protected-resource/mcp')}"`,
    );
    expect(JSON.parse(answer.body)).toMatchObject({ jsonrpc: '2.0', id: 2, error: { code: -32009, data: { scope: 'tools:fail' } } });
    expect(serve.stderr()).toMatch(/authorization failure .*caller=alice .*target=fail .*needs=tools:fail/);
    expect(serve.stderr()).not.toMatch(/tools\/call .*target=fail .*outcome=(ok|tool-error)/);
  });

  it('allows a tool by a scope mcpctl.json lists for it (auth.tools)', async () => {
    const client = await connectHttp(serve.url, { token: await token('ops') });
    expect((await client.listTools()).tools.map((tool) => tool.name)).toEqual(['fail']);
    expect(await client.callTool({ name: 'fail', arguments: {} })).toMatchObject({ isError: true });
    await client.close();
  });

  it('applies a fresh token with other scopes to the same caller\'s session', async () => {
    const first = await rawPost(serve.url, initializeRequest, bearer(await token('tools:echo')));
    const sessionId = first.headers['mcp-session-id'] as string;
    const call = { jsonrpc: '2.0', id: 3, method: 'tools/call', params: { name: 'whoami', arguments: {} } };
    expect((await rawPost(serve.url, call, { ...bearer(await token('tools:echo')), 'mcp-session-id': sessionId })).status).toBe(403);
    expect((await rawPost(serve.url, call, { ...bearer(await token('tools:whoami')), 'mcp-session-id': sessionId })).status).toBe(200);
  });
});
