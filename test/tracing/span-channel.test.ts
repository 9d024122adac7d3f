import { SpanKind } from '@opentelemetry/api';
import { afterAll, describe, expect, it } from 'vitest';
import { createLogger } from '../../src/log.js';
import type { SpanChannel as SpanChannelClass } from '../../src/tracing/span-channel.js';
import { spanRecord, type SpanRecord } from '../../src/tracing/span-record.js';
// The built module: its worker is the compiled export-worker.js next to it (typed from the source).
// @ts-expect-error dist has no declaration files
import { SpanChannel as BuiltSpanChannel } from '../../dist/tracing/span-channel.js';
import { startReceiver, type OtlpReceiver } from './helpers/otlp-receiver.js';

const SpanChannel = BuiltSpanChannel as typeof SpanChannelClass;
const clientTrace = '0af7651916cd43dd8448eb211c80319c';
const now = Date.now();

const alice = { user: 'alice', session: 'session-1', clientAddress: '127.0.0.1' };
const records: SpanRecord[] = [
  spanRecord(
    { name: 'tools/call echo', kind: SpanKind.SERVER, traceId: clientTrace, spanId: '1111111111111111', start: now - 2.5, parent: { traceId: clientTrace, spanId: 'b7ad6b7169203331', traceFlags: 1, isRemote: true, traceState: 'vendor=abc' } },
    now,
    alice,
    { method: 'tools/call', requestId: '7', target: 'echo', input: '{"message":"hi"}', outcome: 'ok' },
  ),
  spanRecord(
    { name: 'sampling/createMessage', kind: SpanKind.CLIENT, traceId: clientTrace, spanId: '2222222222222222', start: now - 2, parent: { traceId: clientTrace, spanId: '1111111111111111', traceFlags: 1, isRemote: false, traceState: 'vendor=abc' } },
    now - 1,
    alice,
    { method: 'sampling/createMessage', outcome: 'refused', failure: 'refused', errorType: '-32009', rpcStatus: -32009, httpStatus: 403 },
  ),
];

function channelTo(target: { langfuse?: string; otlp?: string }) {
  const lines: { level: string; msg: string }[] = [];
  const logger = createLogger({ format: 'json', verbose: true, write: (line) => lines.push(JSON.parse(line)) });
  const langfuse = target.langfuse === undefined ? undefined : { publicKey: 'pk-lf-1', secretKey: 'sk-lf-1', baseUrl: target.langfuse, timeoutMs: 500 };
  const otlpUrl = target.otlp && `${target.otlp}/v1/traces`;
  const channel = new SpanChannel({ langfuse, otlpUrl, otlpTimeoutMs: 500, serviceName: 'search-tools', flushBoundMs: 1_000 }, logger);
  return { channel, lines };
}

describe('SpanChannel: span records to the export thread, spans from there', () => {
  const receivers: OtlpReceiver[] = [];
  afterAll(() => Promise.all(receivers.map((receiver) => receiver.close())));

  it('turns records into the spans they describe, for Langfuse and OTLP alike, and delivers them all on close', async () => {
    const [langfuse, otlp] = await Promise.all([startReceiver(), startReceiver()]);
    receivers.push(langfuse, otlp);
    const { channel, lines } = channelTo({ langfuse: langfuse.url, otlp: otlp.url });
    for (const record of records) channel.send(record);
    await channel.close();
    for (const receiver of [langfuse, otlp]) {
      const [call, sampling] = ['tools/call echo', 'sampling/createMessage'].map((name) => receiver.spans.find((span) => span.name === name)!);
      expect(call).toMatchObject({ traceId: clientTrace, spanId: '1111111111111111', parentSpanId: 'b7ad6b7169203331', traceState: 'vendor=abc', kind: 2, scope: 'mcpctl', service: 'search-tools' });
      expect(call!.attributes).toEqual({
        'langfuse.user.id': 'alice',
        'langfuse.session.id': 'session-1',
        'mcp.session.id': 'session-1',
        'client.address': '127.0.0.1',
        'mcp.method.name': 'tools/call',
        'jsonrpc.request.id': '7',
        'gen_ai.tool.name': 'echo',
        'langfuse.observation.input': '{"message":"hi"}',
        'langfuse.observation.type': 'tool',
        'mcp.outcome': 'ok',
        // Set by Langfuse's span processor as the span starts (both processors see the one span): proof it ran.
        'langfuse.internal.is_app_root': true,
      });
      expect(call!.endMs - call!.startMs).toBeLessThanOrEqual(3);
      expect(sampling).toMatchObject({ parentSpanId: '1111111111111111', kind: 3, status: { code: 2, message: 'refused' } });
      expect(sampling!.attributes).toMatchObject({ 'langfuse.observation.type': 'generation', 'langfuse.observation.level': 'ERROR', 'error.type': '-32009', 'rpc.response.status_code': '-32009', 'http.response.status_code': 403 });
    }
    expect(langfuse.requests[0]).toMatchObject({ path: '/api/public/otel/v1/traces', headers: { authorization: `Basic ${Buffer.from('pk-lf-1:sk-lf-1').toString('base64')}` } });
    expect(otlp.requests[0]!.path).toBe('/v1/traces');
    expect(otlp.requests[0]!.headers.authorization).toBeUndefined();
    expect(lines.filter((line) => line.level !== 'debug')).toEqual([]);
  });

  it("relays the export thread's report of a refusing backend to the serving thread's log", async () => {
    const refusing = await startReceiver('refuse');
    receivers.push(refusing);
    const { channel, lines } = channelTo({ otlp: refusing.url });
    for (const record of records) channel.send(record);
    await channel.close();
    expect(lines.map((line) => line.msg)).toEqual([
      expect.stringMatching(/^tracing: dropping spans for OTLP .* \(.*\); calls are not affected/),
      expect.stringMatching(/^tracing: 2 of 2 spans were not delivered to OTLP /),
    ]);
  });

  it('drops a record it cannot make a span of, says so, and keeps exporting the others', async () => {
    const receiver = await startReceiver();
    receivers.push(receiver);
    const { channel, lines } = channelTo({ otlp: receiver.url });
    channel.send({ ...records[0]!, name: 'broken', identity: undefined } as unknown as SpanRecord);
    for (const record of records) channel.send(record);
    await channel.close();
    expect(receiver.spans.map((span) => span.name).sort()).toEqual(['sampling/createMessage', 'tools/call echo']);
    expect(lines.filter((line) => line.level === 'warn').map((line) => line.msg)).toEqual([
      expect.stringMatching(/^tracing: dropping a span that could not be built \("broken": .+\); the total is reported at shutdown$/),
      'tracing: 1 span could not be built and was dropped',
    ]);
  });

  it('drops and counts records once the export thread is gone, and says so', async () => {
    const receiver = await startReceiver();
    receivers.push(receiver);
    const { channel, lines } = channelTo({ otlp: receiver.url });
    await (channel as unknown as { worker: { terminate(): Promise<number> } }).worker.terminate();
    for (const record of records) channel.send(record);
    await channel.close();
    expect(receiver.spans).toEqual([]);
    expect(lines.map((line) => line.msg)).toEqual([
      'tracing: the export thread stopped; spans are dropped from now on, calls are not affected',
      'tracing: 2 spans were dropped: the export thread stopped',
    ]);
  });
});
