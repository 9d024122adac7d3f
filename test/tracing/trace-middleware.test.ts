import { SpanKind, SpanStatusCode } from '@opentelemetry/api';
import { InMemorySpanExporter, SimpleSpanProcessor, type ReadableSpan } from '@opentelemetry/sdk-trace-base';
import { describe, expect, it } from 'vitest';
import { compose } from '../../src/gateway/compose.js';
import { ErrorCode, refuse } from '../../src/gateway/jsonrpc.js';
import { traceIdKey } from '../../src/gateway/middleware/log.js';
import { trace } from '../../src/tracing/middleware.js';
import { createCtx, relatedKey } from '../../src/gateway/session.js';
import type { Ctx, Direction, JSONRPCRequest, Middleware, SessionInfo } from '../../src/gateway/types.js';
import { payloadSerializer } from '../../src/tracing/payload.js';
import { createReplayer } from '../../src/tracing/replay.js';
import { defaultRedact } from '../../src/redaction.js';

const alice = { sub: 'alice', authenticated: true, scopes: new Set<string>() };
const clientTrace = '0af7651916cd43dd8448eb211c80319c';
const clientSpan = 'b7ad6b7169203331';

type Answer = (message: JSONRPCRequest) => Record<string, unknown> | { error: { code: number; message: string } };

function setup(options: { sample?: number; after?: Middleware[]; session?: SessionInfo } = {}) {
  const exporter = new InMemorySpanExporter();
  const { replay } = createReplayer([new SimpleSpanProcessor(exporter)]);
  const middleware = trace({ sink: replay, payload: payloadSerializer({ redact: defaultRedact, maxChars: 200 }), sample: options.sample });
  const chain = compose([middleware, ...(options.after ?? [])]);
  const session = options.session ?? { id: 'session-1', front: 'http' as const, remoteAddress: '127.0.0.1' };
  const forwarded: JSONRPCRequest[] = [];
  let id = 0;
  const send = async (
    method: string,
    params?: Record<string, unknown>,
    extra: { direction?: Direction; headers?: Record<string, string>; answer?: Answer; during?: () => Promise<unknown>; related?: number } = {},
  ): Promise<Ctx> => {
    const message = { jsonrpc: '2.0', id: ++id, method, ...(params && { params }) } as JSONRPCRequest;
    const ctx = createCtx(extra.direction ?? 'in', message, session, alice, extra.headers && new Headers(extra.headers));
    if (extra.related !== undefined) ctx.state.set(relatedKey, extra.related);
    await chain(ctx, async (inner) => {
      forwarded.push(inner.message as JSONRPCRequest);
      await extra.during?.();
      const answer = extra.answer?.(message) ?? { content: [{ type: 'text', text: 'ok' }] };
      inner.response = ('error' in answer ? { jsonrpc: '2.0', id: message.id, error: answer.error } : { jsonrpc: '2.0', id: message.id, result: answer }) as Ctx['response'];
    });
    return ctx;
  };
  const spans = (): ReadableSpan[] => exporter.getFinishedSpans();
  const span = (name: string): ReadableSpan => {
    const found = spans().find((candidate) => candidate.name === name);
    if (!found) throw new Error(`no span "${name}" among ${spans().map((candidate) => candidate.name).join(', ')}`);
    return found;
  };
  return { send, spans, span, forwarded };
}

describe('trace middleware', () => {
  it('takes any _meta a client sends (null, a string) without failing the call, and answers null results', async () => {
    const { send, span } = setup();
    const ctx = await send('tools/call', { name: 'echo', arguments: {}, _meta: null });
    expect(ctx.response && 'result' in ctx.response).toBe(true);
    await send('prompts/get', { name: 'hello', _meta: 'not an object' });
    await send('initialize', { protocolVersion: '2025-11-25' }, { answer: () => null as unknown as Record<string, unknown> });
    expect(span('tools/call echo').status.code).not.toBe(SpanStatusCode.ERROR);
  });

  it('marks what a middleware refused as refused, whatever its code (store down, closed policy)', async () => {
    const closedStore: Middleware = async (ctx) => refuse(ctx, ErrorCode.storeUnavailable, 'store down');
    const { send, span } = setup({ after: [closedStore] });
    await send('tools/call', { name: 'echo', arguments: {} });
    expect(span('tools/call echo').attributes['mcp.outcome']).toBe('refused');
  });

  it('records a tool call: name, caller, session, arguments, result, and passes its context on to the back', async () => {
    const { send, span, forwarded } = setup();
    const ctx = await send('tools/call', { name: 'echo', arguments: { message: 'hi' } });
    const call = span('tools/call echo');
    expect(call.kind).toBe(SpanKind.SERVER);
    expect(call.attributes).toMatchObject({
      'mcp.method.name': 'tools/call',
      'gen_ai.tool.name': 'echo',
      'jsonrpc.request.id': '1',
      'langfuse.user.id': 'alice',
      'langfuse.session.id': 'session-1',
      'client.address': '127.0.0.1',
      'langfuse.observation.type': 'tool',
      'langfuse.observation.input': '{"message":"hi"}',
      'langfuse.observation.output': '{"content":[{"type":"text","text":"ok"}]}',
      'mcp.outcome': 'ok',
    });
    expect(call.status.code).toBe(SpanStatusCode.UNSET);
    expect(ctx.state.get(traceIdKey)).toBe(call.spanContext().traceId);
    expect(forwarded[0]!.params?._meta).toEqual({ traceparent: `00-${call.spanContext().traceId}-${call.spanContext().spanId}-01` });
  });

  it('masks secrets in arguments and results at any depth, and cuts long payloads', async () => {
    const { send, span } = setup();
    await send('tools/call', { name: 'login', arguments: { user: 'bob', password: 'hunter2', nested: { apiKey: 'k-123', list: [{ Authorization: 'Bearer x' }] } } }, {
      answer: () => ({ content: [{ type: 'text', text: 'x'.repeat(500) }], session_token: 'tok-9' }),
    });
    const { attributes } = span('tools/call login');
    const input = attributes['langfuse.observation.input'] as string;
    const output = attributes['langfuse.observation.output'] as string;
    expect(JSON.parse(input)).toEqual({ user: 'bob', password: '[redacted]', nested: { apiKey: '[redacted]', list: [{ Authorization: '[redacted]' }] } });
    expect(output).not.toContain('tok-9');
    expect(output).toContain('…[truncated, ');
    expect(output.length).toBeLessThan(260);
  });

  it('marks a tool error and a JSON-RPC error as errors, with the reason', async () => {
    const { send, span } = setup();
    await send('tools/call', { name: 'fail' }, { answer: () => ({ isError: true, content: [{ type: 'text', text: 'it failed' }] }) });
    await send('resources/read', { uri: 'test://missing' }, { answer: () => ({ error: { code: ErrorCode.invalidParams, message: 'Resource test://missing not found' } }) });
    const failed = span('tools/call fail');
    expect(failed.status).toEqual({ code: SpanStatusCode.ERROR, message: 'it failed' });
    expect(failed.attributes).toMatchObject({ 'error.type': 'tool_error', 'mcp.outcome': 'tool_error', 'langfuse.observation.level': 'ERROR' });
    const missing = span('resources/read');
    expect(missing.status).toEqual({ code: SpanStatusCode.ERROR, message: 'Resource test://missing not found' });
    expect(missing.attributes).toMatchObject({ 'mcp.resource.uri': 'test://missing', 'error.type': '-32602', 'rpc.response.status_code': '-32602', 'mcp.outcome': 'error' });
  });

  it('records refusals by the middlewares after it, which never reach the back', async () => {
    const refuser: Middleware = async (ctx) => refuse(ctx, ErrorCode.unauthorized, 'insufficient scope: tools:admin', undefined, { status: 403 });
    const { send, span, forwarded } = setup({ after: [refuser] });
    await send('tools/call', { name: 'admin' });
    expect(forwarded).toHaveLength(0);
    const refused = span('tools/call admin');
    expect(refused.status).toEqual({ code: SpanStatusCode.ERROR, message: 'insufficient scope: tools:admin' });
    expect(refused.attributes).toMatchObject({ 'mcp.outcome': 'refused', 'http.response.status_code': 403, 'langfuse.user.id': 'alice' });
  });

  it('records a failing chain and lets the failure through', async () => {
    const broken: Middleware = async () => {
      throw new TypeError('boom');
    };
    const { send, span } = setup({ after: [broken] });
    await expect(send('prompts/get', { name: 'hello' })).rejects.toThrow('boom');
    expect(span('prompts/get hello').status).toEqual({ code: SpanStatusCode.ERROR, message: 'boom' });
    expect(span('prompts/get hello').attributes['error.type']).toBe('TypeError');
  });

  it('continues a client trace from the traceparent header or, more specific, from _meta', async () => {
    const { send, span, forwarded } = setup();
    const header = { traceparent: `00-${clientTrace}-${clientSpan}-01` };
    const ctx = await send('tools/list', undefined, { headers: header });
    const listed = span('tools/list');
    expect(listed.spanContext().traceId).toBe(clientTrace);
    expect(listed.parentSpanContext?.spanId).toBe(clientSpan);
    expect(ctx.state.get(traceIdKey)).toBe(clientTrace);
    expect(forwarded[0]!.params?._meta).toEqual({ traceparent: `00-${clientTrace}-${listed.spanContext().spanId}-01` });

    const metaTrace = '4bf92f3577b34da6a3ce929d0e0e4736';
    await send('tools/call', { name: 'echo', _meta: { traceparent: `00-${metaTrace}-00f067aa0ba902b7-01`, progressToken: 7 } }, { headers: header });
    const call = span('tools/call echo');
    expect(call.spanContext().traceId).toBe(metaTrace);
    expect(call.parentSpanContext?.spanId).toBe('00f067aa0ba902b7');
    expect(forwarded[1]!.params?._meta).toEqual({ traceparent: `00-${metaTrace}-${call.spanContext().spanId}-01`, progressToken: 7 });
  });

  it('puts a session under one "mcp session" span, and a server request under the call that caused it', async () => {
    const { send, span, spans } = setup();
    await send('initialize', { protocolVersion: '2025-11-25', capabilities: {}, clientInfo: { name: 'test', version: '1' } }, { answer: () => ({ protocolVersion: '2025-11-25', capabilities: {}, serverInfo: { name: 'echo', version: '1' } }) });
    let sampling: Ctx | undefined;
    await send('tools/call', { name: 'ask', arguments: { question: 'why?' } }, {
      during: async () => {
        sampling = await send('sampling/createMessage', { messages: [], maxTokens: 10 }, { direction: 'out', related: 2, answer: () => ({ model: 'test-model', role: 'assistant', content: { type: 'text', text: 'because' } }) });
      },
    });
    const root = span('mcp session');
    const init = span('initialize');
    const call = span('tools/call ask');
    const sample = span('sampling/createMessage');
    expect(root.parentSpanContext).toBeUndefined();
    expect(root.attributes).toMatchObject({ 'mcp.protocol.version': '2025-11-25', 'langfuse.session.id': 'session-1' });
    expect(init.parentSpanContext?.spanId).toBe(root.spanContext().spanId);
    expect(call.parentSpanContext?.spanId).toBe(root.spanContext().spanId);
    expect(sample.parentSpanContext?.spanId).toBe(call.spanContext().spanId);
    expect(sample.kind).toBe(SpanKind.CLIENT);
    expect(sample.attributes).toMatchObject({ 'langfuse.observation.type': 'generation', 'langfuse.observation.model.name': 'test-model' });
    expect(sampling!.message.params?._meta).toEqual({ traceparent: `00-${sample.spanContext().traceId}-${sample.spanContext().spanId}-01` });
    expect(new Set(spans().map((one) => one.spanContext().traceId)).size).toBe(1);
  });

  it('gives each stdio run its own session id', async () => {
    const first = setup({ session: { id: 'stdio', front: 'stdio' } });
    const second = setup({ session: { id: 'stdio', front: 'stdio' } });
    await first.send('tools/list');
    await second.send('tools/list');
    const ids = [first.span('tools/list'), second.span('tools/list')].map((one) => one.attributes['langfuse.session.id'] as string);
    expect(ids[0]).toMatch(/^stdio-/);
    expect(ids[0]).not.toBe(ids[1]);
  });

  it('sampled out: records nothing for good calls, still records failures, still passes a header traceparent on', async () => {
    const { send, spans, forwarded } = setup({ sample: 0 });
    await send('tools/call', { name: 'echo' });
    expect(spans()).toHaveLength(0);
    expect(forwarded[0]!.params?._meta).toBeUndefined();
    await send('tools/call', { name: 'echo' }, { headers: { traceparent: `00-${clientTrace}-${clientSpan}-00` } });
    expect(spans()).toHaveLength(0);
    expect(forwarded[1]!.params?._meta).toEqual({ traceparent: `00-${clientTrace}-${clientSpan}-00` });
    await send('tools/call', { name: 'fail' }, { answer: () => ({ isError: true, content: [] }) });
    expect(spans().map((one) => [one.name, one.status.code])).toEqual([['tools/call fail', SpanStatusCode.ERROR]]);
  });

  it('leaves notifications and pings alone', async () => {
    const { send, spans } = setup();
    await send('ping');
    const notification = createCtx('in', { jsonrpc: '2.0', method: 'notifications/initialized' }, { id: 's', front: 'http' }, alice, undefined);
    const records: unknown[] = [];
    await compose([trace({ sink: (record) => records.push(record), payload: JSON.stringify })])(notification, async () => {});
    expect(spans()).toHaveLength(0);
    expect(records).toHaveLength(0);
    expect(notification.message).toEqual({ jsonrpc: '2.0', method: 'notifications/initialized' });
  });
});
