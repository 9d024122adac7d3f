// Nothing a client, a tool or a child sends can take `mcpctl serve` down: each offence through a real server,
// the offender gets its error, the gateway stays up, and another caller's call made afterwards succeeds.
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { connect } from 'node:net';
import { request, type IncomingMessage } from 'node:http';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { initDevKeys } from '../../src/auth/dev-keys.js';
import { mintDevToken } from '../../src/auth/mint.js';
import { tempDir } from '../auth/helpers.js';
import { initializeBody, mcpHeaders, openSession, post } from '../helpers/http.js';
import { connectHttp, mcpctlBin, repoRoot, startServe, type RunningServe } from '../helpers/serve.js';
import { sseMessages } from '../helpers/sse.js';
import { testRedisUrl } from '../ratelimit/redis.js';

const hostile = fileURLToPath(new URL('../fixtures/hostile-server.mjs', import.meta.url));
const call = (id: string | number, name: string, args: Record<string, unknown> = {}) => ({ jsonrpc: '2.0', id, method: 'tools/call', params: { name, arguments: args } });
const textOf = (answer: any): string => answer.result.content[0].text;

/** Resident and peak resident memory of a process, in MB, from /proc. */
function memoryOf(pid: number): { rss: number; peak: number } {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = (field: string): number => Number(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status)![1]) / 1024;
  return { rss: kb('VmRSS'), peak: kb('VmHWM') };
}

/** Another caller's call succeeds: the offence cost the offender alone. */
async function bystanderCalls(serve: RunningServe, token?: string): Promise<void> {
  expect(serve.process.exitCode).toBeNull();
  const client = await connectHttp(serve.url, { token });
  expect((await client.callTool({ name: 'echo', arguments: { message: 'still here' } })).content).toEqual([{ type: 'text', text: 'still here' }]);
  await client.close();
}

describe('hostile input through the HTTP front, in-process back', () => {
  let serve: RunningServe;
  beforeAll(async () => {
    serve = await startServe([hostile, '--request-timeout', '2s']);
  });
  afterAll(async () => {
    expect(await serve.stop()).toBe(0);
  });

  it('a client answers roots/list with JSON nested 10,000 deep: the tool that asked gets an error in its place', async () => {
    const init = await post(serve.url, { ...initializeBody, params: { ...initializeBody.params, capabilities: { roots: {} } } });
    const session = { 'mcp-session-id': init.headers.get('mcp-session-id')! };
    await post(serve.url, { jsonrpc: '2.0', method: 'notifications/initialized' }, session);
    const asking = await fetch(serve.url, { method: 'POST', headers: { ...mcpHeaders, ...session }, body: JSON.stringify(call('r', 'roots')) });
    const events = sseMessages(asking);
    const ask = (await events.next()).value;
    expect(ask.method).toBe('roots/list');
    const deep = `{"jsonrpc":"2.0","id":${JSON.stringify(ask.id)},"result":{"roots":${'['.repeat(10_000)}${']'.repeat(10_000)}}}`;
    expect((await post(serve.url, deep, session)).status).toBe(202);
    const answer = (await events.next()).value;
    expect(answer.id).toBe('r');
    expect(JSON.stringify(answer)).toContain("the client's answer was refused: it nests deeper than 128 levels");
    expect(serve.stderr()).toContain('refused an answer from the client nested deeper than 128 levels');
    await bystanderCalls(serve);
  });

  it('a tool returns a result nested 5,000 deep: its caller gets an error, not a crashed gateway', async () => {
    const session = { 'mcp-session-id': await openSession(serve.url) };
    const answer = await post(serve.url, call(1, 'deep', { depth: 5000 }), session);
    expect(answer.status).toBe(200);
    expect(answer.json.error).toMatchObject({ code: -32603, message: expect.stringContaining("the server's answer was refused: it nests deeper than 128 levels") });
    await bystanderCalls(serve);
  });

  it('a notification nested 10,000 deep is dropped and logged; a request as deep in a batch gets its error, its twin its answer', async () => {
    const init = await post(serve.url, { ...initializeBody, params: { ...initializeBody.params, protocolVersion: '2025-03-26' } });
    const session = { 'mcp-session-id': init.headers.get('mcp-session-id')! };
    const deep = `${'['.repeat(10_000)}${']'.repeat(10_000)}`;
    const notified = await post(serve.url, `{"jsonrpc":"2.0","method":"notifications/roots/list_changed","params":{"deep":${deep}}}`, session);
    expect(notified.status).toBe(202);
    expect(serve.stderr()).toContain('dropped a notification from the client nested deeper than 128 levels');
    const batch = await post(serve.url, `[{"jsonrpc":"2.0","id":"deep","method":"tools/list","params":{"deep":${deep}}},${JSON.stringify(call('fine', 'echo', { message: 'twin' }))}]`, session);
    const answers = Object.fromEntries((batch.json as any[]).map((answer) => [answer.id, answer]));
    expect(answers.deep.error).toEqual({ code: -32600, message: 'Invalid request: nested deeper than 128 levels' });
    expect(textOf(answers.fine)).toBe('twin');
    await bystanderCalls(serve);
  });

  it('ids that are not strings or integers, and params that are not an object, are answered at once', async () => {
    const session = { 'mcp-session-id': await openSession(serve.url) };
    for (const id of ['1.5', '1e400', 'true', '{}']) {
      const answer = await post(serve.url, `{"jsonrpc":"2.0","id":${id},"method":"tools/list"}`, session);
      expect(answer.status).toBe(400);
      expect(answer.json).toEqual({ jsonrpc: '2.0', id: null, error: { code: -32600, message: 'Invalid request: "id" must be a string or an integer' } });
    }
    const arrayParams = await post(serve.url, { jsonrpc: '2.0', id: 7, method: 'tools/list', params: [] }, session);
    expect(arrayParams.status).toBe(400);
    expect(arrayParams.json).toEqual({ jsonrpc: '2.0', id: 7, error: { code: -32600, message: 'Invalid request: "params" must be an object' } });
    expect((await post(serve.url, call(8, 'echo', { message: 'after' }), session)).json.result.content[0].text).toBe('after');
    await bystanderCalls(serve);
  });

  it('a call that never ends is answered at its deadline (--request-timeout), and its id is free again', async () => {
    const session = { 'mcp-session-id': await openSession(serve.url) };
    const hanging = post(serve.url, call('h', 'hang'), session);
    await new Promise((resolve) => setTimeout(resolve, 300)); // the hanging call has reached the server
    const again = await post(serve.url, call('h', 'echo', { message: 'same id' }), session);
    expect(again.json.error).toMatchObject({ code: -32600, message: 'request id "h" is already in flight in this session' });
    const started = performance.now();
    const answer = await hanging;
    expect(answer.json.error).toMatchObject({ code: -32001, message: 'the server did not answer tools/call within 2s (--request-timeout)' });
    expect(performance.now() - started).toBeLessThan(4000);
    expect(textOf((await post(serve.url, call('h', 'echo', { message: 'free' }), session)).json)).toBe('free');
  });

  it('a batch that uses one id twice is refused whole', async () => {
    const answer = await post(serve.url, { ...initializeBody, params: { ...initializeBody.params, protocolVersion: '2025-03-26' } });
    const session = { 'mcp-session-id': answer.headers.get('mcp-session-id')! };
    const twice = await post(serve.url, [call(1, 'echo', { message: 'a' }), call(1, 'echo', { message: 'b' })], session);
    expect(twice.status).toBe(400);
    expect(twice.json.error.message).toBe('Invalid request: the batch uses one request id twice');
  });
});

describe('a client that never reads its stream', () => {
  let serve: RunningServe;
  beforeAll(async () => {
    serve = await startServe([hostile, '--max-message', '256kb']);
  });
  afterAll(async () => {
    expect(await serve.stop()).toBe(0);
  });

  it('loses its stream once 2x --max-message is unread, and may reconnect; memory stays bounded', async () => {
    const sessionId = await openSession(serve.url);
    const session = { 'mcp-session-id': sessionId };
    await post(serve.url, { jsonrpc: '2.0', method: 'notifications/initialized' }, session);
    let dropped!: Promise<unknown>;
    const stalled = await new Promise<IncomingMessage>((resolve, reject) => {
      const get = request(serve.url, { headers: { accept: 'text/event-stream', ...session } }, (res) => {
        res.pause(); // never read (until the end of the test)
        dropped = new Promise((done) => res.socket.once('close', done));
        resolve(res);
      });
      get.on('error', reject);
      get.end();
    });
    expect(stalled.statusCode).toBe(200);
    const before = memoryOf(serve.process.pid!);
    // 200 MB of log messages unrelated to any call: meant for the GET stream nobody reads.
    expect(textOf((await post(serve.url, call('f', 'flood', { count: 2000, size: 100_000 }), session)).json)).toBe('sending 2000');
    let sent = '0';
    for (let waited = 0; sent !== '2000' && waited < 200; waited++) {
      await new Promise((resolve) => setTimeout(resolve, 50));
      sent = textOf((await post(serve.url, call(`s${waited}`, 'flooded'), session)).json);
    }
    expect(sent).toBe('2000');
    const after = memoryOf(serve.process.pid!);
    expect(after.peak - before.rss).toBeLessThan(100);
    // What reached the client before the gateway dropped the stream: a few MB in socket buffers, not 200 MB.
    let received = 0;
    stalled.on('data', (chunk: Buffer) => (received += chunk.length)).resume();
    await dropped;
    expect(received).toBeLessThan(20_000_000);
    const again = await fetch(serve.url, { headers: { accept: 'text/event-stream', ...session } });
    expect(again.status).toBe(200);
    await again.body!.cancel();
    await bystanderCalls(serve);
  });
});

describe('fair sessions: one caller cannot lock the others out', () => {
  let dir: Awaited<ReturnType<typeof tempDir>>;
  let serve: RunningServe;
  const tokens: Record<string, string> = {};
  const as = (sub: string) => ({ authorization: `Bearer ${tokens[sub]}` });
  beforeAll(async () => {
    dir = await tempDir();
    await initDevKeys(dir.path);
    for (const sub of ['alice', 'bob', 'carol']) tokens[sub] = await mintDevToken({ sub, scope: 'tools:call', cwd: dir.path });
    serve = await startServe([hostile, '--dev', '--max-sessions', '3', '--max-sessions-per-caller', '3', '--request-timeout', '3s', '--body-timeout', '1s'], { cwd: dir.path });
  });
  afterAll(async () => {
    expect(await serve.stop()).toBe(0);
    await dir.remove();
  });

  it('when one caller fills the pool, its longest-idle session makes room; when all are busy, 503 and /readyz says so', async () => {
    const alice = [];
    for (let i = 0; i < 3; i++) alice.push(await openSession(serve.url, as('alice')));
    const bob = await openSession(serve.url, as('bob'));
    expect(serve.stderr()).toMatch(new RegExp(`closed session ${alice[0]} of alice \\(idle \\d+s\\) to make room: the pool is full`));
    expect((await post(serve.url, call(1, 'echo', { message: 'x' }), { ...as('alice'), 'mcp-session-id': alice[0]! })).status).toBe(404);
    expect(textOf((await post(serve.url, call(1, 'echo', { message: 'bob in' }), { ...as('bob'), 'mcp-session-id': bob })).json)).toBe('bob in');

    // Every session busy: nothing can make room, so carol is refused, the refusal logged, readiness off.
    const busy = [post(serve.url, call(2, 'hang'), { ...as('alice'), 'mcp-session-id': alice[1]! }), post(serve.url, call(2, 'hang'), { ...as('alice'), 'mcp-session-id': alice[2]! }), post(serve.url, call(2, 'hang'), { ...as('bob'), 'mcp-session-id': bob })];
    await new Promise((resolve) => setTimeout(resolve, 200));
    const refused = await post(serve.url, initializeBody, as('carol'));
    expect(refused.status).toBe(503);
    expect(refused.headers.get('retry-after')).toBe('1');
    expect(refused.json.error.message).toContain('all 3 sessions have requests in flight');
    expect(serve.stderr()).toMatch(/refused a new session \(HTTP 503\).*caller=carol/);
    const readiness = await fetch(new URL('/readyz', serve.url));
    expect(readiness.status).toBe(503);
    expect(await readiness.json()).toMatchObject({ status: 'saturated', sessions: 3 });

    // The hung calls meet their deadline; the sessions are idle again and carol gets in.
    for (const answer of await Promise.all(busy)) expect(answer.json.error.code).toBe(-32001);
    expect((await fetch(new URL('/readyz', serve.url))).status).toBe(200);
    const carol = await openSession(serve.url, as('carol'));
    expect(textOf((await post(serve.url, call(3, 'echo', { message: 'carol in' }), { ...as('carol'), 'mcp-session-id': carol })).json)).toBe('carol in');
  });

  it('a slow body after a 401 does not hold the connection; a slow body with a good token gets 408 at --body-timeout', async () => {
    const { port } = new URL(serve.url);
    const slowPost = (headers: string): Promise<{ answer: string; ms: number }> =>
      new Promise((resolve, reject) => {
        const started = performance.now();
        const socket = connect(Number(port), '127.0.0.1');
        let answer = '';
        socket.setEncoding('utf8');
        socket.on('data', (chunk: string) => (answer += chunk));
        socket.on('error', reject);
        socket.on('close', () => resolve({ answer, ms: performance.now() - started }));
        // 1000 bytes promised, 10 sent, and then nothing: the body never ends.
        socket.write(`POST /mcp HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nContent-Type: application/json\r\nAccept: application/json, text/event-stream\r\n${headers}Content-Length: 1000\r\n\r\n{"jsonrpc"`);
      });
    const refused = await slowPost('');
    expect(refused.answer).toMatch(/^HTTP\/1\.1 401 /);
    expect(refused.answer.toLowerCase()).toContain('connection: close');
    expect(refused.ms).toBeLessThan(1000);
    const slow = await slowPost(`Authorization: Bearer ${tokens.alice}\r\n`);
    expect(slow.answer).toMatch(/^HTTP\/1\.1 408 /);
    expect(slow.ms).toBeLessThan(4000);
    await bystanderCalls(serve, tokens.bob);
  });
});

describe('the per-caller cap', () => {
  it("closes the caller's own longest-idle session past its cap, and refuses with 429 when all of them are busy", async () => {
    const serve = await startServe([hostile, '--max-sessions-per-caller', '2', '--request-timeout', '2s']);
    try {
      const first = await openSession(serve.url);
      const second = await openSession(serve.url);
      const third = await openSession(serve.url);
      expect(serve.stderr()).toContain(`closed session ${first} of 127.0.0.1`);
      expect((await post(serve.url, call(1, 'echo', { message: 'x' }), { 'mcp-session-id': first })).status).toBe(404);
      const busy = [second, third].map((id) => post(serve.url, call(2, 'hang'), { 'mcp-session-id': id }));
      await new Promise((resolve) => setTimeout(resolve, 200));
      const refused = await post(serve.url, initializeBody);
      expect(refused.status).toBe(429);
      expect(refused.json.error.message).toContain('caller 127.0.0.1 already has 2 sessions with requests in flight (--max-sessions-per-caller 2)');
      await Promise.all(busy);
      expect(await openSession(serve.url)).toMatch(/^[0-9a-f-]{36}$/);
    } finally {
      expect(await serve.stop()).toBe(0);
    }
  });
});

describe('reused request ids with the Redis limiter in the chain', () => {
  const redisUrl = testRedisUrl(3);
  it.skipIf(!redisUrl)('two concurrent requests with one id: each is answered, never with the other\'s result', async () => {
    const serve = await startServe([hostile, '--redis', redisUrl!, '--rate-limit', '100000/min']);
    try {
      const session = { 'mcp-session-id': await openSession(serve.url) };
      let refusals = 0;
      for (let round = 0; round < 20; round++) {
        const answers = await Promise.all(['one', 'two'].map((message) => post(serve.url, call(round, 'echo', { message }), session)));
        answers.forEach((answer, index) => {
          if (answer.json.error) {
            expect(answer.json.error.message).toBe(`request id ${round} is already in flight in this session`);
            refusals++;
          } else expect(textOf(answer.json)).toBe(['one', 'two'][index]);
        });
      }
      // While one waits for Redis, the other arrives: at least some rounds overlap.
      expect(refusals).toBeGreaterThan(0);
      await bystanderCalls(serve);
    } finally {
      expect(await serve.stop()).toBe(0);
    }
  });
});

describe('a child that misbehaves on stdout', () => {
  let serve: RunningServe;
  beforeAll(async () => {
    serve = await startServe(['--max-message', '1mb', '--', process.execPath, hostile]);
  });
  afterAll(async () => {
    expect(await serve.stop()).toBe(0);
  });

  it('bare JSON values and objects that are not JSON-RPC are dropped and logged; an invalid answer fails its call', async () => {
    const client = await connectHttp(serve.url);
    const bare = ['null', '42', 'true', '"text"', '{}', '[]', '{"foo":1}'];
    expect((await client.callTool({ name: 'emit', arguments: { lines: bare } })).content).toEqual([{ type: 'text', text: 'emitted' }]);
    expect(serve.stderr().match(/wrote a message that is not JSON-RPC to stdout/g)?.length).toBe(bare.length);
    const invalid = await client.callTool({ name: 'emit', arguments: { lines: ['{"jsonrpc":"2.0","id":$ID,"result":42}'] } }).catch((error: Error) => error.message);
    expect(invalid).toContain(`the server's answer is not valid JSON-RPC: "result" must be an object`);
    await client.close();
    await bystanderCalls(serve);
  });

  it('a line nested 5,000 deep fails its call', async () => {
    const client = await connectHttp(serve.url);
    const deep = await client.callTool({ name: 'emit', arguments: { deep: 5000 } }).catch((error: Error) => error.message);
    expect(deep).toContain("the server's answer was refused: it nests deeper than 128 levels");
    await client.close();
    await bystanderCalls(serve);
  });

  it('a 50 MB line is skipped as it streams past, without holding it: its call fails, memory stays bounded', async () => {
    const client = await connectHttp(serve.url);
    const before = memoryOf(serve.process.pid!);
    const big = await client.callTool({ name: 'emit', arguments: { size: 50_000_000 } }).catch((error: Error) => error.message);
    expect(big).toMatch(/the server's answer is 500000\d\d bytes, over the gateway's 1048576-byte limit \(--max-message\)/);
    expect(memoryOf(serve.process.pid!).peak - before.rss).toBeLessThan(100);
    expect(serve.stderr()).toMatch(/wrote a 500000\d\d-byte line to stdout, over the 1048576-byte limit/);
    expect((await client.callTool({ name: 'echo', arguments: { message: 'same session' } })).content).toEqual([{ type: 'text', text: 'same session' }]);
    await client.close();
    await bystanderCalls(serve);
  });
});

describe('hostile lines through the stdio front', () => {
  it('answers each bad line with its error and goes on serving', async () => {
    const child = spawn(process.execPath, [mcpctlBin, 'serve', hostile, '--max-message', '64kb'], { cwd: repoRoot, stdio: ['pipe', 'pipe', 'pipe'] });
    const answers: any[] = [];
    let buffered = '';
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (chunk: string) => {
      buffered += chunk;
      const lines = buffered.split('\n');
      buffered = lines.pop()!;
      for (const line of lines) answers.push(JSON.parse(line));
    });
    const send = (line: string): boolean => child.stdin.write(`${line}\n`);
    send(JSON.stringify(initializeBody));
    send('{"jsonrpc":"2.0","id":1.5,"method":"tools/list"}');
    send('{"jsonrpc":"2.0","id":1e400,"method":"tools/list"}');
    send('{"jsonrpc":"2.0","id":3,"method":"tools/list","params":[]}');
    send(`{"jsonrpc":"2.0","id":4,"method":"tools/call","params":{"name":"echo","arguments":{"message":${'['.repeat(10_000)}${']'.repeat(10_000)}}}}`);
    send(`{"jsonrpc":"2.0","id":5,"method":"tools/call","params":{"name":"echo","arguments":{"message":"${'z'.repeat(100_000)}"}}}`);
    send(JSON.stringify(call(6, 'echo', { message: 'alive' })));
    for (let waited = 0; answers.length < 7 && waited < 100; waited++) await new Promise((resolve) => setTimeout(resolve, 50));
    child.stdin.end();
    const byId = (id: unknown) => answers.filter((answer) => answer.id === id);
    expect(byId(null).map((answer) => answer.error.message)).toEqual(['Invalid request: "id" must be a string or an integer', 'Invalid request: "id" must be a string or an integer']);
    expect(byId(3)[0].error.message).toBe('Invalid request: "params" must be an object');
    expect(byId(4)[0].error.message).toBe('Invalid request: nested deeper than 128 levels');
    expect(byId(5)[0].error.message).toMatch(/^Invalid request: the message is 1000\d\d bytes, over the 65536-byte limit \(--max-message\)$/);
    expect(textOf(byId(6)[0])).toBe('alive');
    expect(await new Promise((resolve) => child.on('exit', resolve))).toBe(0);
  });
});
