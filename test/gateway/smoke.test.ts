import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectHttp, connectServeStdio, echoServer, startServe, type RunningServe } from '../helpers/serve.js';

describe('serve a module', () => {
  let serve: RunningServe;
  beforeAll(async () => {
    serve = await startServe([echoServer]);
  });
  afterAll(async () => {
    expect(await serve.stop()).toBe(0);
  });

  it('answers tools/list and tools/call over HTTP', async () => {
    const client = await connectHttp(serve.url);
    const { tools } = await client.listTools();
    expect(tools.map((tool) => tool.name)).toContain('echo');
    const result = await client.callTool({ name: 'echo', arguments: { message: 'hi' } });
    expect(result.content).toEqual([{ type: 'text', text: 'hi' }]);
    await client.close();
  });

  it('answers over stdio', async () => {
    const client = await connectServeStdio([echoServer]);
    const result = await client.callTool({ name: 'echo', arguments: { message: 'over stdio' } });
    expect(result.content).toEqual([{ type: 'text', text: 'over stdio' }]);
    await client.close();
  });
});
