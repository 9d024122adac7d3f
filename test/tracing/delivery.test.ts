import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { BasicTracerProvider, BatchSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { afterAll, describe, expect, it } from 'vitest';
import { createLogger } from '../../src/log.js';
import { Delivery } from '../../src/tracing/delivery.js';
import { startReceiver, type OtlpReceiver } from './helpers/otlp-receiver.js';

function setup(receiver: OtlpReceiver, limit: number) {
  const lines: string[] = [];
  const logger = createLogger({ format: 'json', verbose: true, write: (line) => lines.push(line) });
  const delivery = new Delivery('test backend', logger, limit);
  const exporter = delivery.exporter(new OTLPTraceExporter({ url: `${receiver.url}/v1/traces`, timeoutMillis: 500 }));
  const provider = new BasicTracerProvider({ spanProcessors: [delivery.processor(new BatchSpanProcessor(exporter, { scheduledDelayMillis: 10 }))] });
  const tracer = provider.getTracer('test');
  const endSpans = (count: number): void => {
    for (let i = 0; i < count; i++) tracer.startSpan(`span ${i}`).end();
  };
  const messages = (): { level: string; msg: string }[] => lines.map((line) => JSON.parse(line));
  return { delivery, provider, endSpans, messages };
}

describe('Delivery', () => {
  const receivers: OtlpReceiver[] = [];
  afterAll(() => Promise.all(receivers.map((receiver) => receiver.close())));

  it('lets at most `limit` spans wait for a stuck backend, drops the rest, and says so once', async () => {
    const receiver = await startReceiver('hang');
    receivers.push(receiver);
    const { endSpans, messages, provider, delivery } = setup(receiver, 3);
    endSpans(10);
    endSpans(5);
    expect(messages()).toMatchObject([{ level: 'warn', msg: 'tracing: dropping spans for test backend (more than 3 spans waiting); calls are not affected, the total is reported at shutdown' }]);
    await provider.shutdown().catch(() => undefined);
    delivery.summarize();
    expect(messages().at(-1)).toMatchObject({ level: 'warn', msg: 'tracing: 15 of 15 spans were not delivered to test backend' });
  });

  it('counts delivered spans and stays quiet while the backend keeps up', async () => {
    const receiver = await startReceiver();
    receivers.push(receiver);
    const { endSpans, messages, provider, delivery } = setup(receiver, 100);
    endSpans(20);
    await provider.shutdown();
    delivery.summarize();
    expect(receiver.spans).toHaveLength(20);
    expect(messages()).toMatchObject([{ level: 'debug', msg: 'tracing: 20 spans delivered to test backend' }]);
  });
});
