import { Worker } from 'node:worker_threads';
import type { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { ExportResultCode, type ExportResult } from '@opentelemetry/core';
import type { ReadableSpan, SpanExporter } from '@opentelemetry/sdk-trace-base';
import { toSpanData, type ExportReply, type ExportRequest } from './span-data.js';

type ExporterConfig = NonNullable<ConstructorParameters<typeof OTLPTraceExporter>[0]>;

const failed = (message: string): ExportResult => ({ code: ExportResultCode.FAILED, error: new Error(message) });

/**
 * An OTLPTraceExporter that runs on a worker thread (see export-worker.ts): spans cross as plain data, results
 * come back per batch. If the worker dies, every export fails from then on (and is counted as lost upstream);
 * the serving thread is never affected.
 */
export class WorkerExporter implements SpanExporter {
  private readonly worker: Worker;
  private readonly waiting = new Map<number, (result: ExportResult) => void>();
  private nextId = 0;
  private dead: string | undefined;
  private stopped: (() => void) | undefined;

  constructor(config: ExporterConfig) {
    // Whatever the thread might print goes to stderr: on the stdio front, stdout carries the protocol.
    this.worker = new Worker(new URL('./export-worker.js', import.meta.url), { workerData: config, stdout: true });
    this.worker.stdout.pipe(process.stderr, { end: false });
    this.worker.unref();
    this.worker.on('message', (reply: ExportReply | 'shutdown') => {
      if (reply === 'shutdown') return this.stopped?.();
      const done = this.waiting.get(reply.id);
      this.waiting.delete(reply.id);
      done?.(reply.ok ? { code: ExportResultCode.SUCCESS } : failed(reply.error ?? 'export failed'));
    });
    this.worker.on('error', (error) => this.fail(`the export thread failed: ${error.message}`));
    this.worker.on('exit', () => this.fail('the export thread stopped'));
  }

  export(spans: ReadableSpan[], done: (result: ExportResult) => void): void {
    if (this.dead !== undefined) return done(failed(this.dead));
    const id = ++this.nextId;
    this.waiting.set(id, done);
    const request: ExportRequest = { id, resource: { attributes: spans[0]?.resource.attributes ?? {}, schemaUrl: spans[0]?.resource.schemaUrl }, spans: spans.map(toSpanData) };
    this.worker.postMessage(request);
  }

  /** Lets the exporter finish what it is sending, then ends the thread. The caller bounds how long this may take. */
  async shutdown(): Promise<void> {
    if (this.dead === undefined) {
      await new Promise<void>((resolve) => {
        this.stopped = resolve;
        this.worker.postMessage('shutdown');
      });
    }
    await this.worker.terminate();
  }

  private fail(reason: string): void {
    this.dead ??= reason;
    this.stopped?.();
    for (const done of this.waiting.values()) done(failed(reason));
    this.waiting.clear();
  }
}
