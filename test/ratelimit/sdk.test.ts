import { McpError } from '@modelcontextprotocol/sdk/types.js';
import { StreamableHTTPError } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectHttp, connectServeStdio, echoServer, startServe, type RunningServe } from '../helpers/serve.js';

const call = { name: 'echo', arguments: { message: 'hi' } };

describe('a real SDK client over the limit', () => {
  let serve: RunningServe;
  beforeAll(async () => {
    // 3/min: the session's initialize spends one, the two calls the rest.
    serve = await startServe([echoServer, '--rate-limit', '3/min', '--tool-rate-limit', 'fail=1/h']);
  });
  afterAll(async () => {
    expect(await serve.stop()).toBe(0);
  });

  it('gets HTTP 429 with the retry hint over Streamable HTTP', async () => {
    const client = await connectHttp(serve.url);
    await client.callTool(call);
    await client.callTool(call);
    const error = await client.callTool(call).then(() => undefined, (caught: unknown) => caught);
    expect(error).toBeInstanceOf(StreamableHTTPError);
    expect((error as StreamableHTTPError).code).toBe(429);
    const body = JSON.parse((error as Error).message.slice((error as Error).message.indexOf('{')));
    expect(body.error).toMatchObject({ code: 429, data: { limit: '3/min', scope: 'caller', retryAfterSeconds: expect.any(Number) } });
    expect(body.error.data.retryAfterSeconds).toBeGreaterThan(0);
    // The list calls do not spend budget.
    expect((await client.listTools()).tools.length).toBeGreaterThan(0);
    await client.close();
    expect(serve.stderr()).toMatch(/rate limited caller=127\.0\.0\.1 tool=echo scope=caller limit=3\/min/);
  });

  it('sends Retry-After and the IETF RateLimit headers on the 429, for a new session too', async () => {
    // Same caller (the loopback address): the budget the previous test spent is still spent, so even the
    // initialize that would open another session is refused.
    const headers = { 'content-type': 'application/json', accept: 'application/json, text/event-stream' };
    const response = await fetch(serve.url, { method: 'POST', headers, body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'initialize', params: { protocolVersion: '2025-11-25', capabilities: {}, clientInfo: { name: 'raw', version: '1' } } }) });
    expect(response.status).toBe(429);
    expect(response.headers.get('mcp-session-id')).toBeNull();
    expect(Number(response.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    expect(response.headers.get('ratelimit-policy')).toBe('"caller";q=3;w=60');
    expect(response.headers.get('ratelimit')).toMatch(/^"caller";r=0;t=\d+$/);
    expect(await response.json()).toMatchObject({ id: 1, error: { code: 429 } });
  });

  it('gets a JSON-RPC error with code 429 and the retry hint over stdio', async () => {
    const client = await connectServeStdio([echoServer, '--rate-limit', '60/min', '--tool-rate-limit', 'echo=1/h']);
    await client.callTool(call);
    const error = await client.callTool(call).then(() => undefined, (caught: unknown) => caught);
    expect(error).toBeInstanceOf(McpError);
    expect(error).toMatchObject({ code: 429, data: { limit: '1/h', scope: 'tool' } });
    expect((error as McpError).message).toContain('"echo" allows 1/h per caller; retry after');
    expect(((error as McpError).data as { retryAfterSeconds: number }).retryAfterSeconds).toBeGreaterThan(3500);
    // Other tools still have the caller's budget.
    expect((await client.callTool({ name: 'fail', arguments: {} })).isError).toBe(true);
    await client.close();
  });
});
