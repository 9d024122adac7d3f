import { ChainPosition, type Feature } from '../gateway/index.js';
import { traceHttpRefusal } from './http-refusals.js';
import type { TracingEnvironment } from './index.js';
import { trace } from './middleware.js';
import { payloadSerializer } from './payload.js';
import type { ResolvedTracing } from './settings.js';
import { SpanChannel } from './span-channel.js';

/** On shutdown, pending spans get one export timeout and this long to leave: time to time out and be reported. */
const flushMarginMs = 1_000;

/**
 * The tracing half imported only when tracing is on. The serving thread records each span as plain data (the
 * trace middleware); an export thread turns the records into OpenTelemetry spans for Langfuse's span processor
 * and/or an OTLP batch processor, each behind a Delivery that bounds and counts what waits.
 */
export async function startTracing(settings: ResolvedTracing, environment: Pick<TracingEnvironment, 'logger' | 'redact'>): Promise<Feature> {
  const { logger } = environment;
  const { langfuse, otlpUrl, otlpTimeoutMs, serviceName } = settings;
  const flushBoundMs = Math.max(langfuse?.timeoutMs ?? 0, otlpUrl ? otlpTimeoutMs : 0) + flushMarginMs;
  const channel = new SpanChannel({ langfuse, otlpUrl, otlpTimeoutMs, serviceName, flushBoundMs }, logger);
  // Serving starts once the export thread is up: its start-up work (loading OpenTelemetry) is not left to
  // compete with the first calls. A thread that fails to start is reported, and serving goes on without it.
  await channel.ready;
  const targets = [langfuse && `Langfuse ${langfuse.baseUrl}`, otlpUrl && `OTLP ${otlpUrl}`].filter(Boolean);
  const payload = payloadSerializer({ redact: environment.redact, maxChars: settings.maxPayload });
  const sampled = settings.sample < 1 ? `, sample ${settings.sample}` : '';
  return {
    description: `tracing: ${targets.join(', ')}${sampled}`,
    position: ChainPosition.trace,
    middleware: trace({ sink: channel.send, payload, sample: settings.sample }),
    onRefusal: traceHttpRefusal(channel.send),
    close: () => channel.close(),
  };
}
