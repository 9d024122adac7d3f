import { LangfuseSpanProcessor } from '@langfuse/otel';
import { AlwaysOnSampler, BasicTracerProvider, BatchSpanProcessor, type SpanProcessor } from '@opentelemetry/sdk-trace-base';
import { settleWithin } from '../gateway/settle-within.js';
import { trace } from '../gateway/middleware/trace.js';
import type { Logger } from '../log.js';
import { Delivery } from './delivery.js';
import { traceHttpRefusals } from './http-refusals.js';
import type { TracingFeature } from './index.js';
import { payloadSerializer } from './payload.js';
import type { LangfuseTarget, TracingSettings } from './settings.js';
import { WorkerExporter } from './worker-exporter.js';

/** One export attempt (retries included) gives up after this long: a hanging backend holds nothing for longer. */
const exportTimeoutMs = 5_000;
/** On shutdown, pending spans get this long to leave: time for one export to time out and be reported. */
export const flushBoundMs = exportTimeoutMs + 1_000;

/**
 * The heavy half of tracing, imported only when it is on: a tracer provider of mcpctl's own (never registered
 * globally, so a served module's OpenTelemetry setup is left alone), feeding Langfuse's span processor and/or a
 * plain OTLP batch processor, each behind a Delivery that bounds and counts what waits, each exporting through
 * an OTLPTraceExporter on a worker thread.
 */
export function startTracing(settings: TracingSettings, logger: Logger): TracingFeature {
  const deliveries: Delivery[] = [];
  const processors: SpanProcessor[] = [];
  const targets: string[] = [];
  if (settings.langfuse) {
    const url = `${settings.langfuse.baseUrl}/api/public/otel/v1/traces`;
    const delivery = new Delivery(`Langfuse at ${settings.langfuse.baseUrl}`, logger);
    const exporter = delivery.exporter(new WorkerExporter({ url, headers: langfuseHeaders(settings.langfuse), timeoutMillis: exportTimeoutMs }));
    const { publicKey, secretKey, baseUrl } = settings.langfuse;
    // Every span of this provider is mcpctl's and meant for Langfuse: no filtering. Media upload would re-scan
    // each payload for base64 data URIs and upload them on the side; payloads here are already bounded.
    processors.push(delivery.processor(new LangfuseSpanProcessor({ exporter, publicKey, secretKey, baseUrl, shouldExportSpan: () => true, mediaUploadEnabled: false })));
    deliveries.push(delivery);
    targets.push(`Langfuse ${baseUrl}`);
  }
  if (settings.otlpUrl) {
    const delivery = new Delivery(`OTLP ${settings.otlpUrl}`, logger);
    const exporter = delivery.exporter(new WorkerExporter({ url: settings.otlpUrl, timeoutMillis: exportTimeoutMs }));
    processors.push(delivery.processor(new BatchSpanProcessor(exporter)));
    deliveries.push(delivery);
    targets.push(`OTLP ${settings.otlpUrl}`);
  }
  // Sampling is decided per call by the middleware (and failures are always kept), so the provider records all.
  const provider = new BasicTracerProvider({ sampler: new AlwaysOnSampler(), spanProcessors: processors });
  const tracer = provider.getTracer('mcpctl');
  const payload = payloadSerializer({ redact: settings.redact, maxChars: settings.maxPayload });
  const sampled = settings.sample < 1 ? `, sample ${settings.sample}` : '';

  return {
    description: `tracing: ${targets.join(', ')}${sampled}`,
    middleware: trace({ tracer, payload, sample: settings.sample }),
    observeHttpAuth: traceHttpRefusals(tracer),
    async close() {
      let settled = false;
      // A failed flush settles too: its spans are counted as lost by their Delivery.
      const shutdown = provider.shutdown().finally(() => (settled = true));
      await settleWithin([shutdown], flushBoundMs);
      if (!settled) logger.warn(`tracing: gave up on the spans still pending after ${flushBoundMs} ms`);
      for (const delivery of deliveries) delivery.summarize();
    },
  };
}

/** What Langfuse's own exporter sends: Basic auth from the key pair, plus the ingestion version its OTLP docs ask for. */
function langfuseHeaders({ publicKey, secretKey }: LangfuseTarget): Record<string, string> {
  return {
    Authorization: `Basic ${Buffer.from(`${publicKey}:${secretKey}`).toString('base64')}`,
    'x-langfuse-public-key': publicKey,
    'x-langfuse-ingestion-version': '4',
  };
}
