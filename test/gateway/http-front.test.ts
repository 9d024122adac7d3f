import { request } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { initializeBody, openSession, post } from '../helpers/http.js';
import { connectHttp, echoServer, startServe, type RunningServe } from '../helpers/serve.js';

describe('HTTP front: bad input never takes the server down', () => {
  let serve: RunningServe;
  beforeAll(async () => {
    serve = await startServe([echoServer, '--max-body', '64kb', '--allow-origin', 'https://app.example.com']);
  });
  afterAll(async () => {
    expect(await serve.stop()).toBe(0);
  });

  it('answers each bad request with its status while another session keeps working', async () => {
    const bystander = await connectHttp(serve.url);
    const session = await openSession(serve.url);
    const withSession = { 'mcp-session-id': session };
    const call = { jsonrpc: '2.0', id: 2, method: 'tools/call', params: { name: 'echo', arguments: { message: 'x' } } };

    const malformed = await post(serve.url, '{"jsonrpc": "2.0", "id": 1,', withSession);
    expect(malformed.status).toBe(400);
    expect(malformed.json.error.code).toBe(-32700);

    const notRpc = await post(serve.url, { hello: 'world' }, withSession);
    expect(notRpc.status).toBe(400);
    expect(notRpc.json.error).toMatchObject({ code: -32600, message: expect.stringContaining('jsonrpc') });

    expect((await post(serve.url, call, { ...withSession, 'content-type': 'text/plain' })).status).toBe(415);
    expect((await post(serve.url, call, { ...withSession, accept: 'application/json' })).status).toBe(406);

    const huge = { ...call, params: { name: 'echo', arguments: { message: 'x'.repeat(100_000) } } };
    const tooLarge = await post(serve.url, huge, withSession);
    expect(tooLarge.status).toBe(413);
    expect(tooLarge.json.error.message).toContain('--max-body');

    const unknown = await post(serve.url, call, { 'mcp-session-id': 'no-such-session' });
    expect(unknown.status).toBe(404);
    expect((await post(serve.url, call)).status).toBe(400);

    const crossSite = await post(serve.url, call, { ...withSession, origin: 'https://evil.example' });
    expect(crossSite.status).toBe(403);
    expect(crossSite.json.error.message).toContain('--allow-origin');
    const listed = await post(serve.url, call, { ...withSession, origin: 'https://app.example.com' });
    expect(listed.status).toBe(200);
    expect(listed.headers.get('access-control-allow-origin')).toBe('https://app.example.com');

    expect(await rawStatus(serve.url, { host: 'attacker.example:80' })).toBe(403);
    expect((await post(serve.url, call, { ...withSession, 'mcp-protocol-version': '1999-01-01' })).status).toBe(400);
    expect((await fetch(serve.url, { method: 'PUT' })).status).toBe(405);

    const ok = await post(serve.url, call, withSession);
    expect(ok.status).toBe(200);
    expect(ok.json.result.content).toEqual([{ type: 'text', text: 'x' }]);
    expect((await bystander.callTool({ name: 'echo', arguments: { message: 'still here' } })).content).toEqual([{ type: 'text', text: 'still here' }]);
    await bystander.close();
  });

  it('answers notifications with 202, /healthz with 200, and DELETE ends a session', async () => {
    const session = await openSession(serve.url);
    const notified = await post(serve.url, { jsonrpc: '2.0', method: 'notifications/initialized' }, { 'mcp-session-id': session });
    expect(notified.status).toBe(202);
    const health = await fetch(new URL('/healthz', serve.url));
    expect(health.status).toBe(200);
    expect(await health.json()).toMatchObject({ status: 'ok' });
    const deleted = await fetch(serve.url, { method: 'DELETE', headers: { 'mcp-session-id': session } });
    expect(deleted.status).toBe(200);
    const after = await post(serve.url, { jsonrpc: '2.0', id: 3, method: 'tools/list' }, { 'mcp-session-id': session });
    expect(after.status).toBe(404);
  });

  it('answers a batch with an array in order of completion, in a session of 2025-03-26, the last version with batches', async () => {
    const answer = await post(serve.url, { ...initializeBody, params: { ...initializeBody.params, protocolVersion: '2025-03-26' } });
    expect(answer.json.result.protocolVersion).toBe('2025-03-26');
    const session = answer.headers.get('mcp-session-id')!;
    const batch = await post(
      serve.url,
      [
        { jsonrpc: '2.0', id: 'a', method: 'tools/call', params: { name: 'echo', arguments: { message: 'one' } } },
        { jsonrpc: '2.0', id: 'b', method: 'ping' },
      ],
      { 'mcp-session-id': session },
    );
    expect(batch.status).toBe(200);
    expect(batch.json.map((answer: { id: string }) => answer.id).sort()).toEqual(['a', 'b']);
  });

  it('refuses a batch in a session of 2025-06-18 or later, which removed them, and in a stateless request naming one', async () => {
    const session = await openSession(serve.url);
    const batch = [{ jsonrpc: '2.0', id: 'a', method: 'ping' }, { jsonrpc: '2.0', id: 'b', method: 'ping' }];
    const refused = await post(serve.url, batch, { 'mcp-session-id': session, 'mcp-protocol-version': '2025-11-25' });
    expect(refused.status).toBe(400);
    expect(refused.json.error).toMatchObject({ code: -32600, message: expect.stringContaining('batches are not allowed in protocol version 2025-11-25') });
    // The negotiated version decides, even when the client leaves the header out.
    expect((await post(serve.url, batch, { 'mcp-session-id': session })).status).toBe(400);
    const single = await post(serve.url, batch[0], { 'mcp-session-id': session });
    expect(single.json).toEqual({ jsonrpc: '2.0', id: 'a', result: {} });
  });

  it('survives clients that drop their streams mid-call', async () => {
    const session = await openSession(serve.url);
    const headers = { 'content-type': 'application/json', accept: 'application/json, text/event-stream', 'mcp-session-id': session };
    const listening = new AbortController();
    const get = await fetch(serve.url, { headers: { ...headers, accept: 'text/event-stream' }, signal: listening.signal });
    expect(get.status).toBe(200);
    const calls = Array.from({ length: 5 }, async (_, index) => {
      const aborter = new AbortController();
      const body = JSON.stringify({ jsonrpc: '2.0', id: `drop-${index}`, method: 'tools/call', params: { name: 'slow', arguments: { steps: 5, ms: 10 }, _meta: { progressToken: index } } });
      const response = await fetch(serve.url, { method: 'POST', headers, body, signal: aborter.signal });
      expect(response.headers.get('content-type')).toBe('text/event-stream');
      const reader = response.body!.getReader();
      await reader.read(); // the first progress event, then hang up
      aborter.abort();
    });
    await Promise.all(calls);
    listening.abort();
    await new Promise((resolve) => setTimeout(resolve, 150)); // the abandoned calls finish on the server
    const after = await post(serve.url, { jsonrpc: '2.0', id: 'after', method: 'tools/call', params: { name: 'echo', arguments: { message: 'alive' } } }, { 'mcp-session-id': session });
    expect(after.json.result.content).toEqual([{ type: 'text', text: 'alive' }]);
  });

  it('refuses a second initialize in one POST batch', async () => {
    const answer = await post(serve.url, [initializeBody, { ...initializeBody, id: 2 }]);
    expect(answer.status).toBe(400);
  });
});

describe('HTTP front: stateless', () => {
  for (const [label, args] of [
    ['module back', [echoServer]],
    ['command back', ['--', process.execPath, echoServer]],
  ] as const) {
    it(`serves the SDK client with no sessions (${label})`, async () => {
      const serve = await startServe(['--stateless', ...args]);
      try {
        const client = await connectHttp(serve.url);
        const results = await Promise.all(['a', 'b', 'c'].map((message) => client.callTool({ name: 'echo', arguments: { message } })));
        expect(results.map((result) => (result.content as { text: string }[])[0]!.text)).toEqual(['a', 'b', 'c']);
        const progress: number[] = [];
        const slow = await client.callTool({ name: 'slow', arguments: { steps: 2, ms: 5 } }, undefined, { onprogress: (update) => progress.push(update.progress) });
        expect((slow.content as { text: string }[])[0]!.text).toBe('done after 2');
        expect(progress).toEqual([1, 2]);
        expect((await fetch(serve.url, { headers: { accept: 'text/event-stream' } })).status).toBe(405);
        await client.close();
      } finally {
        expect(await serve.stop()).toBe(0);
      }
    });
  }
});

/** A request with a forged Host header (fetch would not let us set one). */
function rawStatus(url: string, headers: Record<string, string>): Promise<number> {
  const target = new URL(url);
  return new Promise((resolve, reject) => {
    const req = request({ host: target.hostname, port: target.port, path: target.pathname, method: 'POST', headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream', ...headers } }, (res) => {
      res.resume();
      resolve(res.statusCode!);
    });
    req.on('error', reject);
    req.end(JSON.stringify(initializeBody));
  });
}
