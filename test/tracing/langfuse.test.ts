import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { CreateMessageRequestSchema } from '@modelcontextprotocol/sdk/types.js';
import { SignJWT, exportSPKI, generateKeyPair, type CryptoKey } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectServeStdio, startServe, type RunningServe } from '../helpers/serve.js';
import { startReceiver, type OtlpReceiver, type ReceivedSpan } from './helpers/otlp-receiver.js';

const metaServer = fileURLToPath(new URL('./fixtures/meta-server.mjs', import.meta.url));
const issuer = 'https://issuer.test/';
const audience = 'mcp-tracing-test';
const otlp = { server: 2, client: 3 } as const;
const status = { unset: 0, error: 2 } as const;

/** A Langfuse key pair made up at test time: the receiver only checks that the SDK sends it back as Basic auth. */
const langfuse = { publicKey: `pk-lf-${randomUUID()}`, secretKey: `sk-lf-${randomBytes(16).toString('hex')}` };

function child(spans: ReceivedSpan[], parent: ReceivedSpan, name: string): ReceivedSpan {
  const found = spans.find((span) => span.name === name && span.parentSpanId === parent.spanId && span.traceId === parent.traceId);
  if (!found) throw new Error(`no span "${name}" under "${parent.name}"; spans: ${spans.map((span) => `${span.name}<${span.parentSpanId}`).join(', ')}`);
  return found;
}

describe('tracing to Langfuse through the real SDK, received on loopback', () => {
  let receiver: OtlpReceiver;
  let serve: RunningServe;
  let privateKey: CryptoKey;
  let dir: string;
  const sessionIds: Record<string, string> = {};
  const clientTrace = randomBytes(16).toString('hex');
  const clientSpan = randomBytes(8).toString('hex');
  let metaSeen: Record<string, string> = {};
  let metaSeenFromMeta: Record<string, string> = {};
  let unauthorizedStatus = 0;

  const token = (sub: string, scope: string): Promise<string> =>
    new SignJWT({ scope }).setProtectedHeader({ alg: 'ES256' }).setSubject(sub).setIssuer(issuer).setAudience(audience).setIssuedAt().setExpirationTime('5m').sign(privateKey);

  async function connect(sub: string, scope: string, headers: Record<string, string> = {}): Promise<Client> {
    const client = new Client({ name: 'tracing-test', version: '1.0.0' }, { capabilities: { sampling: {} } });
    client.setRequestHandler(CreateMessageRequestSchema, async () => ({ model: 'test-model', role: 'assistant', content: { type: 'text', text: 'because' } }));
    const transport = new StreamableHTTPClientTransport(new URL(serve.url), { requestInit: { headers: { authorization: `Bearer ${await token(sub, scope)}`, ...headers } } });
    await client.connect(transport);
    sessionIds[sub] = transport.sessionId!;
    return client;
  }

  beforeAll(async () => {
    receiver = await startReceiver();
    dir = await mkdtemp(join(tmpdir(), 'mcpctl-tracing-'));
    const pair = await generateKeyPair('ES256', { extractable: true });
    privateKey = pair.privateKey;
    await writeFile(join(dir, 'public.pem'), await exportSPKI(pair.publicKey));
    serve = await startServe([metaServer, '--public-key', join(dir, 'public.pem'), '--issuer', issuer, '--audience', audience, '--tool-rate-limit', 'echo=1/min'], {
      env: { LANGFUSE_PUBLIC_KEY: langfuse.publicKey, LANGFUSE_SECRET_KEY: langfuse.secretKey, LANGFUSE_BASE_URL: receiver.url },
    });

    const alice = await connect('alice', 'tools:echo tools:fail tools:ask tools:meta resources:read prompts:get');
    await alice.listTools();
    await alice.callTool({ name: 'echo', arguments: { message: 'hi', apiKey: 'sk-live-123', options: { password: 'hunter2' } } });
    await expect(alice.callTool({ name: 'echo', arguments: { message: 'over the limit' } })).rejects.toThrow(/rate limit/);
    await alice.callTool({ name: 'fail', arguments: {} });
    await alice.readResource({ uri: 'test://greeting' });
    await alice.getPrompt({ name: 'hello', arguments: { name: 'Ada' } });
    await alice.callTool({ name: 'ask', arguments: { question: 'why?' } });
    await expect(alice.callTool({ name: 'whoami', arguments: {} })).rejects.toThrow();
    const fromMeta = await alice.callTool({ name: 'meta', arguments: {}, _meta: { traceparent: `00-${clientTrace}-${clientSpan}-01` } });
    metaSeenFromMeta = JSON.parse((fromMeta.content as { text: string }[])[0]!.text);
    await alice.close();

    const bob = await connect('bob', 'tools:meta', { traceparent: `00-${clientTrace}-${clientSpan}-01` });
    const seen = await bob.callTool({ name: 'meta', arguments: {} });
    metaSeen = JSON.parse((seen.content as { text: string }[])[0]!.text);
    await bob.close();

    const refused = await fetch(serve.url, {
      method: 'POST',
      headers: { authorization: 'Bearer not-a-token', traceparent: `00-${clientTrace}-${clientSpan}-01`, 'content-type': 'application/json', accept: 'application/json, text/event-stream' },
      body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/list' }),
    });
    unauthorizedStatus = refused.status;
    await refused.text();

    // SIGTERM: the spans still queued (the batch delay is 5 s) leave during shutdown.
    expect(await serve.stop()).toBe(0);
  });

  afterAll(async () => {
    await serve?.stop();
    await receiver?.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('sends OTLP/HTTP JSON to /api/public/otel/v1/traces with Basic auth built from the key pair', () => {
    expect(receiver.requests.length).toBeGreaterThan(0);
    for (const request of receiver.requests) {
      expect(request.path).toBe('/api/public/otel/v1/traces');
      expect(request.contentType).toBe('application/json');
      expect(request.headers.authorization).toBe(`Basic ${Buffer.from(`${langfuse.publicKey}:${langfuse.secretKey}`).toString('base64')}`);
    }
    expect(serve.stderr()).toContain(`tracing: Langfuse ${receiver.url}`);
    expect(serve.stderr()).not.toMatch(/unhandled|dropping spans/i);
  });

  it('puts a session in one trace: a root "mcp session" span with every call under it, caller and session on each', () => {
    const spans = receiver.spans;
    const root = spans.find((span) => span.name === 'mcp session' && span.attributes['langfuse.user.id'] === 'alice')!;
    expect(root.parentSpanId).toBeUndefined();
    expect(root.attributes).toMatchObject({ 'langfuse.session.id': sessionIds.alice, 'mcp.protocol.version': '2025-11-25' });
    expect(root.service).toBe('mcpctl');
    for (const name of ['initialize', 'tools/list', 'tools/call echo', 'tools/call fail', 'resources/read', 'prompts/get hello', 'tools/call ask', 'tools/call whoami']) {
      const span = child(spans, root, name);
      expect(span.kind).toBe(otlp.server);
      expect(span.attributes).toMatchObject({ 'langfuse.user.id': 'alice', 'langfuse.session.id': sessionIds.alice, 'mcp.session.id': sessionIds.alice, 'client.address': '127.0.0.1' });
      expect(span.endMs).toBeGreaterThanOrEqual(span.startMs);
    }
  });

  it('records tool, arguments (secrets masked) and result', () => {
    const echo = receiver.spans.find((span) => span.name === 'tools/call echo' && span.attributes['mcp.outcome'] === 'ok')!;
    expect(echo.attributes).toMatchObject({
      'gen_ai.tool.name': 'echo',
      'mcp.method.name': 'tools/call',
      'langfuse.observation.type': 'tool',
      'langfuse.observation.output': '{"content":[{"type":"text","text":"hi"}]}',
      'mcp.outcome': 'ok',
    });
    expect(JSON.parse(echo.attributes['langfuse.observation.input'] as string)).toEqual({ message: 'hi', apiKey: '[redacted]', options: { password: '[redacted]' } });
    expect(JSON.stringify(receiver.spans)).not.toMatch(/sk-live-123|hunter2/);
    expect(echo.status.code).toBe(status.unset);
    const read = receiver.spans.find((span) => span.name === 'resources/read')!;
    expect(read.attributes).toMatchObject({ 'mcp.resource.uri': 'test://greeting', 'langfuse.observation.output': '{"contents":[{"uri":"test://greeting","text":"hello"}]}' });
    const prompt = receiver.spans.find((span) => span.name === 'prompts/get hello')!;
    expect(prompt.attributes).toMatchObject({ 'gen_ai.prompt.name': 'hello', 'langfuse.observation.input': '{"name":"Ada"}' });
  });

  it('marks a failing tool, a scope refusal and a rate-limit refusal as errors, with their reasons', () => {
    const fail = receiver.spans.find((span) => span.name === 'tools/call fail')!;
    expect(fail.status).toEqual({ code: status.error, message: 'it failed' });
    expect(fail.attributes).toMatchObject({ 'error.type': 'tool_error', 'langfuse.observation.level': 'ERROR' });
    const whoami = receiver.spans.find((span) => span.name === 'tools/call whoami')!;
    expect(whoami.status.code).toBe(status.error);
    expect(whoami.status.message).toContain('tools:whoami');
    expect(whoami.attributes).toMatchObject({ 'mcp.outcome': 'refused', 'http.response.status_code': 403, 'rpc.response.status_code': '-32009', 'langfuse.observation.level': 'ERROR' });
    const limited = receiver.spans.find((span) => span.name === 'tools/call echo' && span.attributes['mcp.outcome'] === 'refused')!;
    expect(limited.status.message).toMatch(/^rate limit exceeded/);
    expect(limited.attributes).toMatchObject({ 'http.response.status_code': 429, 'error.type': '429', 'langfuse.observation.input': '{"message":"over the limit"}' });
  });

  it('traces a 401 the HTTP front answers before the chain, under the traceparent it came with', () => {
    expect(unauthorizedStatus).toBe(401);
    const refused = receiver.spans.find((span) => span.name === 'auth refused')!;
    expect(refused).toMatchObject({ traceId: clientTrace, parentSpanId: clientSpan, status: { code: status.error } });
    expect(refused.status.message).toMatch(/\S/);
    expect(refused.attributes).toMatchObject({ 'http.response.status_code': 401, 'mcp.outcome': 'refused', 'client.address': '127.0.0.1' });
  });

  it('puts a sampling request under the tool call that made it', () => {
    const ask = receiver.spans.find((span) => span.name === 'tools/call ask')!;
    const sampling = child(receiver.spans, ask, 'sampling/createMessage');
    expect(sampling.kind).toBe(otlp.client);
    expect(sampling.attributes).toMatchObject({ 'langfuse.observation.type': 'generation', 'langfuse.observation.model.name': 'test-model', 'langfuse.user.id': 'alice' });
    expect(ask.attributes['langfuse.observation.output']).toContain('sampled: because');
  });

  it('continues a client trace from the traceparent header or _meta, and passes it on to the server', () => {
    const metaSpans = receiver.spans.filter((span) => span.name === 'tools/call meta');
    expect(metaSpans).toHaveLength(2);
    for (const span of metaSpans) expect(span).toMatchObject({ traceId: clientTrace, parentSpanId: clientSpan });
    const [viaMeta, viaHeader] = [metaSpans.find((span) => span.attributes['langfuse.user.id'] === 'alice')!, metaSpans.find((span) => span.attributes['langfuse.user.id'] === 'bob')!];
    expect(metaSeenFromMeta.traceparent).toBe(`00-${clientTrace}-${viaMeta.spanId}-01`);
    expect(metaSeen.traceparent).toBe(`00-${clientTrace}-${viaHeader.spanId}-01`);
  });
});

describe('tracing over stdio', () => {
  it('traces a stdio session under its own session id, keeps stdout to the protocol, and flushes when stdin closes', async () => {
    const receiver = await startReceiver();
    try {
      const client = await connectServeStdio([metaServer, '--no-auth'], { env: { LANGFUSE_PUBLIC_KEY: 'pk-lf-stdio', LANGFUSE_SECRET_KEY: 'sk-lf-stdio', LANGFUSE_BASE_URL: receiver.url } });
      expect((await client.callTool({ name: 'echo', arguments: { message: 'over stdio' } })).content).toEqual([{ type: 'text', text: 'over stdio' }]);
      await client.close();
      await receiver.waitFor((spans) => spans.some((span) => span.name === 'tools/call echo'));
      const echo = receiver.spans.find((span) => span.name === 'tools/call echo')!;
      expect(echo.attributes).toMatchObject({ 'langfuse.user.id': 'stdio' });
      expect(echo.attributes['client.address']).toBeUndefined();
      expect(echo.attributes['langfuse.session.id']).toMatch(/^stdio-[0-9a-f-]{36}$/);
      expect(echo.parentSpanId).toBe(receiver.spans.find((span) => span.name === 'mcp session')!.spanId);
    } finally {
      await receiver.close();
    }
  });
});
