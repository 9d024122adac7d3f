// The Web-standard HTTP core, driven with Request objects in-process: no socket, no node:http. Each of the HTTP
// front's documented answers, sessions, DELETE, GET streams, streaming POSTs, routes and auth refusals.
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createModuleBack } from '../../src/gateway/back/module-back.js';
import { compose } from '../../src/gateway/compose.js';
import type { Caller, Feature, HttpRefusal, RefusedRequest } from '../../src/gateway/index.js';
import { log } from '../../src/gateway/middleware/log.js';
import { WebFront, type WebFrontOptions } from '../../src/gateway/web/web-front.js';
import { createHealth } from '../../src/health/index.js';
import { createLogger } from '../../src/log.js';
import { initializeBody, mcpHeaders } from '../helpers/http.js';
import { echoServer } from '../helpers/serve.js';
import { sseMessages } from '../helpers/sse.js';

const hostile = fileURLToPath(new URL('../fixtures/hostile-server.mjs', import.meta.url));
const endpoint = 'http://127.0.0.1:8080/mcp';
const host = { host: '127.0.0.1:8080' };
/** A response's JSON body, untyped as tests read it. */
const json = (response: Response): Promise<any> => response.json();
const call = (id: string | number, name: string, args: Record<string, unknown> = {}, meta?: Record<string, unknown>) => ({ jsonrpc: '2.0', id, method: 'tools/call', params: { name, arguments: args, ...(meta && { _meta: meta }) } });

/** A core on an in-process module back, started with the log middleware and the given features. */
async function startCore(entry: string, options: Partial<WebFrontOptions> = {}, features: Feature[] = [createHealth()]) {
  const lines: string[] = [];
  const logger = createLogger({ write: (line) => void lines.push(line) });
  const core = new WebFront({
    back: await createModuleBack(entry),
    logger,
    host: '127.0.0.1',
    path: '/mcp',
    stateless: false,
    maxBodyBytes: 64 * 1024,
    maxSessions: 10,
    maxSessionsPerCaller: 10,
    idleSessionMs: 60_000,
    limits: { maxMessageBytes: 64 * 1024, requestTimeoutMs: 5000 },
    maxBufferedBytes: 1024 * 1024,
    allowOrigins: ['https://app.example.com'],
    allowHosts: [],
    ...options,
  });
  core.start(compose([log({ logger })]), features);
  const send = (url: string, init: RequestInit): Promise<Response> => core.handle(new Request(url, { ...init, headers: { ...host, ...(init.headers as Record<string, string>) } }), { remoteAddress: '127.0.0.1' });
  const post = (body: unknown, headers: Record<string, string> = {}): Promise<Response> => send(endpoint, { method: 'POST', headers: { ...mcpHeaders, ...headers }, body: typeof body === 'string' ? body : JSON.stringify(body) });
  const openSession = async (protocolVersion = '2025-11-25', headers: Record<string, string> = {}): Promise<Record<string, string>> => {
    const answer = await post({ ...initializeBody, params: { ...initializeBody.params, protocolVersion } }, headers);
    expect(answer.status).toBe(200);
    const session = { 'mcp-session-id': answer.headers.get('mcp-session-id')! };
    expect((await post({ jsonrpc: '2.0', method: 'notifications/initialized' }, { ...headers, ...session })).status).toBe(202);
    return session;
  };
  /** Opens the session's GET stream. */
  const listen = (session: Record<string, string>): Promise<Response> => send(endpoint, { headers: { ...session, accept: 'text/event-stream' } });
  return { core, lines, send, post, openSession, listen };
}

describe('the Web core: Request in, Response out', () => {
  let it_: Awaited<ReturnType<typeof startCore>>;
  beforeAll(async () => {
    it_ = await startCore(echoServer);
  });
  afterAll(() => it_.core.stop(1000));

  it('initializes a session, named in the Mcp-Session-Id header, and answers calls in it as JSON', async () => {
    const { post } = it_;
    const init = await post(initializeBody);
    expect(init.status).toBe(200);
    expect(init.headers.get('content-type')).toBe('application/json');
    const id = init.headers.get('mcp-session-id')!;
    expect(id).toMatch(/^[0-9a-f-]{36}$/);
    expect((await json(init)).result.protocolVersion).toBe('2025-11-25');
    const answer = await post(call(2, 'echo', { message: 'hi' }), { 'mcp-session-id': id });
    expect(answer.status).toBe(200);
    expect(answer.headers.get('mcp-session-id')).toBe(id);
    expect(await json(answer)).toEqual({ jsonrpc: '2.0', id: 2, result: { content: [{ type: 'text', text: 'hi' }] } });
    const notified = await post({ jsonrpc: '2.0', method: 'notifications/initialized' }, { 'mcp-session-id': id });
    expect(notified.status).toBe(202);
    expect(await notified.text()).toBe('');
  });

  it('answers 400 for what is not JSON-RPC, a missing session id, an unknown protocol version, and a batch in a 2025-11-25 session', async () => {
    const { post, openSession } = it_;
    const session = await openSession();
    const malformed = await post('{"jsonrpc": "2.0", "id": 1,', session);
    expect(malformed.status).toBe(400);
    expect((await json(malformed)).error.code).toBe(-32700);
    const notRpc = await post({ hello: 'world' }, session);
    expect(notRpc.status).toBe(400);
    expect((await json(notRpc)).error).toEqual({ code: -32600, message: 'Invalid request: missing "jsonrpc": "2.0"' });
    const badId = await post('{"jsonrpc":"2.0","id":1.5,"method":"tools/list"}', session);
    expect(await json(badId)).toEqual({ jsonrpc: '2.0', id: null, error: { code: -32600, message: 'Invalid request: "id" must be a string or an integer' } });
    const noSession = await post(call(1, 'echo', { message: 'x' }));
    expect(noSession.status).toBe(400);
    expect((await json(noSession)).error.message).toContain('Mcp-Session-Id header is required');
    const version = await post(call(1, 'echo', { message: 'x' }), { ...session, 'mcp-protocol-version': '1999-01-01' });
    expect(version.status).toBe(400);
    expect((await json(version)).error.message).toContain('unsupported MCP-Protocol-Version 1999-01-01');
    const batch = await post([{ jsonrpc: '2.0', id: 'a', method: 'ping' }, { jsonrpc: '2.0', id: 'b', method: 'ping' }], session);
    expect(batch.status).toBe(400);
    expect((await json(batch)).error.message).toContain('batches are not allowed in protocol version 2025-11-25');
    expect((await post([], session)).status).toBe(400);
    expect((await post([initializeBody, { ...initializeBody, id: 2 }])).status).toBe(400);
  });

  it('answers a batch in a 2025-03-26 session, and refuses one that uses an id twice', async () => {
    const { post, openSession } = it_;
    const session = await openSession('2025-03-26');
    const batch = await post([call('a', 'echo', { message: 'one' }), { jsonrpc: '2.0', id: 'b', method: 'ping' }], session);
    expect(batch.status).toBe(200);
    expect(((await json(batch)) as { id: string }[]).map((answer) => answer.id).sort()).toEqual(['a', 'b']);
    const twice = await post([call(1, 'echo', { message: 'a' }), call(1, 'echo', { message: 'b' })], session);
    expect(twice.status).toBe(400);
    expect((await json(twice)).error.message).toBe('Invalid request: the batch uses one request id twice');
  });

  it('answers 404 for an unknown session and another path, 405 for another method, 406, 415', async () => {
    const { post, send, openSession } = it_;
    const unknown = await post(call(1, 'echo', { message: 'x' }), { 'mcp-session-id': 'no-such-session' });
    expect(unknown.status).toBe(404);
    expect((await json(unknown)).error.message).toContain('Session not found');
    const elsewhere = await send('http://127.0.0.1:8080/other?x=1', { method: 'POST', headers: mcpHeaders, body: '{}' });
    expect(elsewhere.status).toBe(404);
    expect((await json(elsewhere)).error.message).toBe('no MCP endpoint at /other; it is at /mcp');
    const put = await send(endpoint, { method: 'PUT', body: '{}' });
    expect(put.status).toBe(405);
    expect(put.headers.get('allow')).toBe('GET, POST, DELETE');
    const session = await openSession();
    expect((await post(call(1, 'echo', { message: 'x' }), { ...session, accept: 'application/json' })).status).toBe(406);
    expect((await send(endpoint, { headers: { ...session, accept: 'application/json' } })).status).toBe(406);
    const plain = await post(call(1, 'echo', { message: 'x' }), { ...session, 'content-type': 'text/plain' });
    expect(plain.status).toBe(415);
    expect((await json(plain)).error.message).toBe('Content-Type must be application/json');
  });

  it('answers 413 for a body over --max-body, declared or streamed, and reads no more of a streamed one', async () => {
    const { post, send, openSession } = it_;
    const session = await openSession();
    const declared = await post(call(1, 'echo', { message: 'x'.repeat(100_000) }), session);
    expect(declared.status).toBe(413);
    expect((await json(declared)).error.message).toBe('request body is larger than 65536 bytes (raise it with --max-body)');
    // No Content-Length: 16 KB chunks for as long as anyone reads them.
    let pulled = 0;
    const endless = new ReadableStream<Uint8Array>({
      pull(controller) {
        pulled++;
        controller.enqueue(new TextEncoder().encode(' '.repeat(16 * 1024)));
      },
    });
    const streamed = await send(endpoint, { method: 'POST', headers: { ...mcpHeaders, ...session }, body: endless, duplex: 'half' } as RequestInit);
    expect(streamed.status).toBe(413);
    expect(pulled).toBeLessThan(10);
  });

  it('refuses a foreign Origin and Host with 403, and answers a listed Origin with CORS headers, a preflight with 204', async () => {
    const { post, send, openSession } = it_;
    const session = await openSession();
    const crossSite = await post(call(1, 'echo', { message: 'x' }), { ...session, origin: 'https://evil.example' });
    expect(crossSite.status).toBe(403);
    expect((await json(crossSite)).error.message).toBe('Origin "https://evil.example" is not allowed (add it with --allow-origin)');
    const listed = await post(call(1, 'echo', { message: 'x' }), { ...session, origin: 'https://app.example.com' });
    expect(listed.status).toBe(200);
    expect(listed.headers.get('access-control-allow-origin')).toBe('https://app.example.com');
    expect(listed.headers.get('access-control-expose-headers')).toContain('mcp-session-id');
    const rebound = await post(initializeBody, { host: 'attacker.example:80' });
    expect(rebound.status).toBe(403);
    expect((await json(rebound)).error.message).toBe('Host "attacker.example:80" is not allowed (add it with --allow-host)');
    const preflight = await send(endpoint, { method: 'OPTIONS', headers: { origin: 'http://localhost:3000' } });
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get('access-control-allow-origin')).toBe('http://localhost:3000');
    expect(preflight.headers.get('access-control-allow-methods')).toBe('GET, POST, DELETE, OPTIONS');
  });

  it('DELETE ends a session: it is unknown afterwards', async () => {
    const { post, send, openSession } = it_;
    const session = await openSession();
    const deleted = await send(endpoint, { method: 'DELETE', headers: session });
    expect(deleted.status).toBe(200);
    expect((await post(call(1, 'echo', { message: 'x' }), session)).status).toBe(404);
    expect((await send(endpoint, { method: 'DELETE', headers: session })).status).toBe(404);
  });

  it('streams the server\'s own messages on the GET stream, one GET stream per session', async () => {
    const { post, openSession, listen } = it_;
    const session = await openSession();
    const get = await listen(session);
    expect(get.status).toBe(200);
    expect(get.headers.get('content-type')).toBe('text/event-stream');
    expect((await listen(session)).status).toBe(409);
    await post({ jsonrpc: '2.0', id: 1, method: 'logging/setLevel', params: { level: 'info' } }, session);
    expect((await json(await post(call(2, 'announce'), session))).result.content[0].text).toBe('will announce');
    const events = sseMessages(get);
    expect((await events.next()).value).toEqual({ jsonrpc: '2.0', method: 'notifications/message', params: { level: 'info', data: 'announced' } });
    expect((await events.next()).value).toEqual({ jsonrpc: '2.0', method: 'notifications/tools/list_changed' });
    // The client hangs up: the session may open another stream.
    await events.return(undefined);
    expect((await listen(session)).status).toBe(200);
  });

  it('switches a POST to SSE when the call sends progress, the answer last', async () => {
    const { post, openSession } = it_;
    const session = await openSession();
    const answer = await post(call('s', 'slow', { steps: 2, ms: 5 }, { progressToken: 7 }), session);
    expect(answer.status).toBe(200);
    expect(answer.headers.get('content-type')).toBe('text/event-stream');
    expect(answer.headers.get('mcp-session-id')).toBe(session['mcp-session-id']);
    const messages = [];
    for await (const message of sseMessages(answer)) messages.push(message);
    expect(messages.map((message) => message.params?.progress ?? message.result.content[0].text)).toEqual([1, 2, 'done after 2']);
  });

  it('knows a client gone before its answer (the Request\'s signal): the server\'s request for it fails at once', async () => {
    const { core, openSession } = it_;
    const session = await openSession('2025-11-25');
    const gone = new AbortController();
    const request = new Request(endpoint, { method: 'POST', headers: { ...host, ...mcpHeaders, ...session }, body: JSON.stringify(call('r', 'roots')), signal: gone.signal });
    const answering = core.handle(request, { remoteAddress: '127.0.0.1' });
    gone.abort();
    const answer = await answering;
    // Not switched to a stream nobody reads, waiting for the request timeout: answered, the call failed.
    expect(answer.headers.get('content-type')).toBe('application/json');
    expect(JSON.stringify(await json(answer))).toContain('the client has no open stream to receive this request');
  });

  it('serves the features\' routes beside the endpoint, GET only', async () => {
    const { send } = it_;
    const health = await send('http://127.0.0.1:8080/healthz', {});
    expect(health.status).toBe(200);
    expect(await json(health)).toMatchObject({ status: 'ok', maxSessions: 10 });
    expect((await send('http://127.0.0.1:8080/readyz', {})).status).toBe(200);
    expect((await send('http://127.0.0.1:8080/healthz', { method: 'POST', body: '{}' })).status).toBe(404);
  });
});

describe('the Web core with an authenticator', () => {
  const alice: Caller = { sub: 'alice', authenticated: true, scopes: new Set(['tools:call']) };
  const refusal: HttpRefusal = {
    refused: true,
    status: 401,
    headers: { 'content-type': 'application/json', 'www-authenticate': 'Bearer resource_metadata="http://127.0.0.1:8080/.well-known/oauth-protected-resource/mcp"' },
    body: JSON.stringify({ jsonrpc: '2.0', id: null, error: { code: -32009, message: 'Unauthorized' } }),
    reason: 'Unauthorized',
  };
  const refused: [HttpRefusal, RefusedRequest][] = [];
  const auth: Feature = {
    description: 'test auth',
    position: 200,
    authenticator: { authenticate: async (headers) => (headers.get('authorization') === 'Bearer good' ? alice : refusal) },
    onRefusal: (outcome, request) => void refused.push([outcome, request]),
  };
  let it_: Awaited<ReturnType<typeof startCore>>;
  beforeAll(async () => {
    it_ = await startCore(echoServer, {}, [createHealth(), auth]);
  });
  afterAll(() => it_.core.stop(1000));

  it('answers a refused request with the authenticator\'s refusal before reading it, and tells the observers', async () => {
    const { post, lines } = it_;
    const answer = await post(initializeBody, { traceparent: '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01' });
    expect(answer.status).toBe(401);
    expect(answer.headers.get('www-authenticate')).toContain('resource_metadata=');
    expect((await json(answer)).error.code).toBe(-32009);
    expect(refused).toHaveLength(1);
    expect(refused[0]![0]).toBe(refusal);
    expect(refused[0]![1].headers.get('traceparent')).toBe('00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01');
    expect(refused[0]![1].remoteAddress).toBe('127.0.0.1');
    // The chain never saw it: no request line.
    expect(lines.filter((line) => line.includes('initialize'))).toEqual([]);
  });

  it('lets the authenticated caller in, and keeps its session from another caller', async () => {
    const { post, openSession } = it_;
    const session = await openSession('2025-11-25', { authorization: 'Bearer good' });
    const answer = await post(call(1, 'whoami'), { ...session, authorization: 'Bearer good' });
    expect(JSON.parse((await json(answer)).result.content[0].text)).toEqual({ clientId: 'alice', scopes: ['tools:call'] });
    expect((await post(call(2, 'whoami'), session)).status).toBe(401);
  });
});

describe('the Web core, stateless', () => {
  let it_: Awaited<ReturnType<typeof startCore>>;
  beforeAll(async () => {
    it_ = await startCore(echoServer, { stateless: true });
  });
  afterAll(() => it_.core.stop(1000));

  it('answers each POST alone, on one shared connection, and has no stream to GET nor session to DELETE', async () => {
    const { post, send } = it_;
    const answers = await Promise.all(['a', 'b', 'c'].map((message, id) => post(call(id, 'echo', { message }))));
    expect(await Promise.all(answers.map(async (answer) => (await json(answer)).result.content[0].text))).toEqual(['a', 'b', 'c']);
    expect(answers[0]!.headers.get('mcp-session-id')).toBeNull();
    const get = await send(endpoint, { headers: { accept: 'text/event-stream' } });
    expect(get.status).toBe(405);
    expect(get.headers.get('allow')).toBe('POST');
    expect((await send(endpoint, { method: 'DELETE' })).status).toBe(405);
  });
});

describe('the Web core: limits and shutdown', () => {
  let it_: Awaited<ReturnType<typeof startCore>>;
  beforeAll(async () => {
    it_ = await startCore(hostile, { maxBufferedBytes: 256 * 1024 });
  });

  it('drops a GET stream its client leaves unread past the limit; the client may open another', async () => {
    const { post, openSession, listen } = it_;
    const session = await openSession();
    const stalled = await listen(session);
    expect(stalled.status).toBe(200);
    // 2 MB of log messages for a stream nobody reads.
    expect((await json(await post(call('f', 'flood', { count: 200, size: 10_000 }), session))).result.content[0].text).toBe('sending 200');
    let sent = '0';
    for (let waited = 0; sent !== '200' && waited < 100; waited++) {
      await new Promise((resolve) => setTimeout(resolve, 20));
      sent = (await json(await post(call(`s${waited}`, 'flooded'), session))).result.content[0].text;
    }
    expect(sent).toBe('200');
    // Dropped: what was queued is gone, and the reader learns the stream failed.
    await expect(stalled.body!.getReader().read()).rejects.toThrow('unread');
    const again = await listen(session);
    expect(again.status).toBe(200);
    await again.body!.cancel();
  });

  it('stopping: /healthz says so, new requests get 503, and the GET streams end', async () => {
    const { core, post, send, openSession, listen } = it_;
    const session = await openSession();
    const get = await listen(session);
    const stopped = core.stop(1000);
    expect(await json(await send('http://127.0.0.1:8080/healthz', {}))).toMatchObject({ status: 'stopping' });
    const late = await post(call(1, 'echo', { message: 'late' }), session);
    expect(late.status).toBe(503);
    expect((await json(late)).error.message).toBe('the server is shutting down');
    expect(await get.text()).toBe('');
    await stopped;
  });
});
