// The exporting half of tracing, on a worker thread: span records from the serving thread become OpenTelemetry
// spans here, pass Langfuse's span processor and/or a batch processor, and leave through OTLPTraceExporter. None
// of that per-span work, nor its effect on V8's optimization of node's shared HTTP code (one process-wide HTTP
// client makes the server's request path measurably slower), lands on the thread that serves calls.
import { parentPort, workerData } from 'node:worker_threads';
import { LangfuseSpanProcessor } from '@langfuse/otel';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { BatchSpanProcessor, type SpanProcessor } from '@opentelemetry/sdk-trace-base';
import { settleWithin } from '../settle-within.js';
import { relayLogger } from '../log.js';
import { Delivery } from './delivery.js';
import { createReplayer } from './replay.js';
import type { ExportWorkerData, FromExportWorker, ToExportWorker } from './span-channel.js';
import type { LangfuseTarget } from './settings.js';

const port = parentPort!;
const { langfuse, otlpUrl, otlpTimeoutMs, serviceName, flushBoundMs } = workerData as ExportWorkerData;
const logger = relayLogger((level, message, fields) => port.postMessage({ log: level, message, fields } satisfies FromExportWorker));

const deliveries: Delivery[] = [];
const processors: SpanProcessor[] = [];
if (langfuse) {
  const delivery = new Delivery(`Langfuse at ${langfuse.baseUrl}`, logger);
  const exporter = delivery.exporter(new OTLPTraceExporter({ url: `${langfuse.baseUrl}/api/public/otel/v1/traces`, headers: langfuseHeaders(langfuse), timeoutMillis: langfuse.timeoutMs }));
  const { publicKey, secretKey, baseUrl } = langfuse;
  // Every span here is mcpctl's and meant for Langfuse: no filtering. Media upload would re-scan each payload
  // for base64 data URIs and upload them on the side; payloads here are already bounded.
  processors.push(delivery.processor(new LangfuseSpanProcessor({ exporter, publicKey, secretKey, baseUrl, shouldExportSpan: () => true, mediaUploadEnabled: false })));
  deliveries.push(delivery);
}
if (otlpUrl) {
  const delivery = new Delivery(`OTLP ${otlpUrl}`, logger);
  processors.push(delivery.processor(new BatchSpanProcessor(delivery.exporter(new OTLPTraceExporter({ url: otlpUrl, timeoutMillis: otlpTimeoutMs })))));
  deliveries.push(delivery);
}
const { replay, provider } = createReplayer(processors, serviceName);

let unbuilt = 0;
port.on('message', (message: ToExportWorker) => {
  if (message === 'shutdown') return void shutdown();
  for (const record of message) {
    try {
      replay(record);
    } catch (error) {
      // One span that cannot be built is dropped; the thread, and every other span, goes on.
      if (unbuilt++ === 0) logger.warn(`tracing: dropping a span that could not be built ("${record.name}": ${(error as Error).message}); the total is reported at shutdown`);
    }
  }
});
port.postMessage('ready' satisfies FromExportWorker);

/** Sends what is pending within the bound (a failed flush settles too: its spans count as lost), then says what was delivered. */
async function shutdown(): Promise<void> {
  let settled = false;
  await settleWithin([provider.shutdown().finally(() => (settled = true))], flushBoundMs);
  if (!settled) logger.warn(`tracing: gave up on the spans still pending after ${flushBoundMs} ms`);
  for (const delivery of deliveries) delivery.summarize();
  if (unbuilt > 0) logger.warn(`tracing: ${unbuilt} span${unbuilt === 1 ? '' : 's'} could not be built and ${unbuilt === 1 ? 'was' : 'were'} dropped`);
  port.postMessage('closed' satisfies FromExportWorker);
}

/** What Langfuse's own exporter sends: Basic auth from the key pair, plus the ingestion version its OTLP docs ask for. */
function langfuseHeaders({ publicKey, secretKey }: LangfuseTarget): Record<string, string> {
  return {
    Authorization: `Basic ${Buffer.from(`${publicKey}:${secretKey}`).toString('base64')}`,
    'x-langfuse-public-key': publicKey,
    'x-langfuse-ingestion-version': '4',
  };
}
