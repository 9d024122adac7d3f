import { SpanKind, SpanStatusCode, ROOT_CONTEXT, trace } from '@opentelemetry/api';
import { TraceState } from '@opentelemetry/core';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor, type ReadableSpan, type SpanExporter } from '@opentelemetry/sdk-trace-base';
import { afterAll, describe, expect, it } from 'vitest';
import type { WorkerExporter as WorkerExporterClass } from '../../src/tracing/worker-exporter.js';
// The built module: its worker is the compiled export-worker.js next to it (typed from the source).
// @ts-expect-error dist has no declaration files
import { WorkerExporter as BuiltWorkerExporter } from '../../dist/tracing/worker-exporter.js';

const WorkerExporter = BuiltWorkerExporter as typeof WorkerExporterClass;
import { startReceiver, type OtlpReceiver } from './helpers/otlp-receiver.js';

function someSpans(): ReadableSpan[] {
  const memory = new InMemorySpanExporter();
  const tracer = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(memory)] }).getTracer('mcpctl', '1.2.3');
  const remote = trace.setSpanContext(ROOT_CONTEXT, { traceId: '0af7651916cd43dd8448eb211c80319c', spanId: 'b7ad6b7169203331', traceFlags: 1, isRemote: true, traceState: new TraceState('vendor=abc') });
  const parent = tracer.startSpan('tools/call echo', { kind: SpanKind.SERVER, attributes: { 'gen_ai.tool.name': 'echo', count: 3, flag: true } }, remote);
  const child = tracer.startSpan('sampling/createMessage', { kind: SpanKind.CLIENT }, trace.setSpan(ROOT_CONTEXT, parent));
  child.setStatus({ code: SpanStatusCode.ERROR, message: 'refused' });
  child.end();
  parent.end();
  return memory.getFinishedSpans();
}

const send = (exporter: SpanExporter, spans: ReadableSpan[]): Promise<{ code: number; error?: Error }> => new Promise((resolve) => exporter.export(spans, resolve));

describe('WorkerExporter', () => {
  const receivers: OtlpReceiver[] = [];
  afterAll(() => Promise.all(receivers.map((receiver) => receiver.close())));

  it('sends exactly what OTLPTraceExporter sends, from a worker thread', async () => {
    const [direct, viaWorker] = await Promise.all([startReceiver(), startReceiver()]);
    receivers.push(direct, viaWorker);
    const spans = someSpans();
    const headers = { authorization: 'Basic abc' };
    const inProcess = new OTLPTraceExporter({ url: `${direct.url}/v1/traces`, headers });
    const worker = new WorkerExporter({ url: `${viaWorker.url}/v1/traces`, headers });
    expect(await send(inProcess, spans)).toEqual({ code: 0 });
    expect(await send(worker, spans)).toEqual({ code: 0 });
    await Promise.all([inProcess.shutdown(), worker.shutdown()]);
    expect(viaWorker.spans).toEqual(direct.spans);
    expect(viaWorker.spans.map((span) => [span.name, span.traceState])).toEqual([['sampling/createMessage', 'vendor=abc'], ['tools/call echo', 'vendor=abc']]);
    expect(viaWorker.requests[0]!.headers.authorization).toBe('Basic abc');
  });

  it('reports a failed export, and fails every export once its thread is gone', async () => {
    const refusing = await startReceiver('refuse');
    receivers.push(refusing);
    const worker = new WorkerExporter({ url: `${refusing.url}/v1/traces` });
    const refused = await send(worker, someSpans());
    expect(refused.code).toBe(1);
    expect(refused.error?.message).toMatch(/Unauthorized|401/);
    await worker.shutdown();
    expect((await send(worker, someSpans())).error?.message).toBe('the export thread stopped');
  });
});
