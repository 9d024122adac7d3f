import { Worker } from 'node:worker_threads';
import { settleWithin } from '../settle-within.js';
import type { LogFields, Logger, LogLevel } from '../log.js';
import type { LangfuseTarget } from './settings.js';
import type { SpanRecord } from './span-record.js';

/** What the export thread is started with: where spans go, how they are named, and its time bounds. */
export interface ExportWorkerData {
  readonly langfuse: LangfuseTarget | undefined;
  readonly otlpUrl: string | undefined;
  /** One export attempt to the OTLP endpoint (retries included) gives up after this long. */
  readonly otlpTimeoutMs: number;
  readonly serviceName: string;
  /** On shutdown, pending spans get this long to leave. */
  readonly flushBoundMs: number;
}

export type ToExportWorker = SpanRecord[] | 'shutdown';
export type FromExportWorker = { log: LogLevel; message: string; fields?: LogFields | undefined } | 'ready' | 'closed';

/**
 * Records wait at most this long on the serving thread, and go at once when this many are waiting: each message
 * wakes the export thread, so at low rates fewer, fuller messages cost less (the batch processors behind hold
 * spans for seconds anyway), while the cap keeps one copy short.
 */
const batchDelayMs = 100;
const batchSize = 256;
/** The export thread answers "closed" within its own flush bound; past this margin it is stopped regardless. */
const closeMarginMs = 1_000;

/**
 * The serving thread's end of the export thread (export-worker.ts): span records go across in batches (one
 * message per batch, not per span), its log lines come back and are printed by the serving thread's logger.
 * If the thread dies, records are dropped and counted from then on: the serving thread is never affected.
 */
export class SpanChannel {
  private readonly worker: Worker;
  private batch: SpanRecord[] = [];
  private timer: NodeJS.Timeout | undefined;
  private dead: string | undefined;
  private lost = 0;
  private closed: (() => void) | undefined;
  private started!: () => void;
  /** Settles when the export thread has loaded its modules and can take spans, or has failed to. */
  readonly ready: Promise<void>;

  constructor(
    private readonly data: ExportWorkerData,
    private readonly logger: Logger,
  ) {
    // Whatever the thread might print goes to stderr: on the stdio front, stdout carries the protocol.
    this.worker = new Worker(new URL('./export-worker.js', import.meta.url), { workerData: data, stdout: true });
    this.worker.stdout.pipe(process.stderr, { end: false });
    // Held by the thread until it is up (someone awaits `ready`); after that it never keeps the process alive.
    this.ready = new Promise<void>((resolve) => (this.started = resolve)).then(() => void this.worker.unref());
    this.worker.on('message', (message: FromExportWorker) => {
      if (message === 'ready') this.started();
      else if (message === 'closed') this.closed?.();
      else logger.log(message.log, message.message, message.fields);
    });
    this.worker.on('error', (error) => this.stop(`the export thread failed: ${error.message}`));
    this.worker.on('exit', () => this.stop('the export thread stopped'));
  }

  /** Takes one finished span (a SpanSink). */
  readonly send = (record: SpanRecord): void => {
    if (this.dead !== undefined) {
      this.lost++;
      return;
    }
    if (this.batch.push(record) >= batchSize) this.flush();
    else this.timer ??= setTimeout(this.flush, batchDelayMs).unref();
  };

  /** Sends what waits, lets the export thread deliver what it holds (bounded), then ends it. */
  async close(): Promise<void> {
    this.flush();
    if (this.dead === undefined) {
      const closed = new Promise<void>((resolve) => (this.closed = resolve));
      this.worker.postMessage('shutdown' satisfies ToExportWorker);
      let answered = false;
      await settleWithin([closed.then(() => (answered = true))], this.data.flushBoundMs + closeMarginMs);
      if (!answered) this.logger.warn('tracing: the export thread did not finish in time and was stopped');
    }
    this.dead ??= 'tracing was shut down';
    await this.worker.terminate();
    if (this.lost > 0) this.logger.warn(`tracing: ${this.lost} spans were dropped: ${this.dead}`);
  }

  private readonly flush = (): void => {
    clearTimeout(this.timer);
    this.timer = undefined;
    if (this.batch.length === 0) return;
    if (this.dead !== undefined) this.lost += this.batch.length;
    else this.worker.postMessage(this.batch satisfies ToExportWorker);
    this.batch = [];
  };

  private stop(reason: string): void {
    if (this.dead !== undefined) return;
    this.dead = reason;
    this.closed?.();
    this.started();
    this.logger.warn(`tracing: ${reason}; spans are dropped from now on, calls are not affected`);
  }
}
