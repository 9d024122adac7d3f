// The exporting half of tracing, on a worker thread: the OTLP exporter and its HTTP client run here, so that
// neither their CPU time on the event loop nor their effect on V8's optimization of node's shared HTTP code
// (one process-wide client makes the server's request path measurably slower) lands on the serving thread.
import { parentPort, workerData } from 'node:worker_threads';
import { ExportResultCode } from '@opentelemetry/core';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { fromSpanData, type ExportReply, type ExportRequest } from './span-data.js';

const port = parentPort!;
const exporter = new OTLPTraceExporter(workerData as ConstructorParameters<typeof OTLPTraceExporter>[0]);

port.on('message', (message: ExportRequest | 'shutdown') => {
  if (message === 'shutdown') {
    void exporter.shutdown().finally(() => port.postMessage('shutdown'));
    return;
  }
  const resource = { ...message.resource };
  exporter.export(
    message.spans.map((span) => fromSpanData(span, resource)),
    (result) => port.postMessage({ id: message.id, ok: result.code === ExportResultCode.SUCCESS, error: result.error?.message } satisfies ExportReply),
  );
});
