import type { Context } from '@opentelemetry/api';
import { ExportResultCode } from '@opentelemetry/core';
import type { ReadableSpan, Span, SpanExporter, SpanProcessor } from '@opentelemetry/sdk-trace-base';
import type { Logger } from '../log.js';

/** Spans allowed to wait for one backend (queued or being sent); the batch processors hold 2048 by default. */
export const defaultQueueLimit = 2048;

/**
 * Accounts for the spans on their way to one backend, so a backend that is down, slow or refusing costs calls
 * nothing: at most `limit` spans wait, the rest are dropped and counted, and the first loss is reported once
 * (the OpenTelemetry SDK would only tell its global diag logger, which mcpctl leaves alone).
 */
export class Delivery {
  private pending = 0;
  private delivered = 0;
  private lost = 0;
  private reported = false;

  constructor(
    readonly target: string,
    private readonly logger: Logger,
    private readonly limit = defaultQueueLimit,
  ) {}

  /** Wraps the exporter: learns how each batch ended. */
  exporter(inner: SpanExporter): SpanExporter {
    return {
      export: (spans, done) => {
        inner.export(spans, (result) => {
          this.pending -= spans.length;
          if (result.code === ExportResultCode.SUCCESS) this.delivered += spans.length;
          else this.lose(spans.length, result.error?.message ?? 'export failed');
          done(result);
        });
      },
      shutdown: () => inner.shutdown(),
      forceFlush: () => inner.forceFlush?.() ?? Promise.resolve(),
    };
  }

  /** Wraps the processor that feeds the exporter: refuses spans past the limit instead of queueing them. */
  processor(inner: SpanProcessor): SpanProcessor {
    return {
      onStart: (span: Span, context: Context) => inner.onStart(span, context),
      onEnd: (span: ReadableSpan) => {
        if (this.pending >= this.limit) return this.lose(1, `more than ${this.limit} spans waiting`);
        this.pending++;
        inner.onEnd(span);
      },
      forceFlush: () => inner.forceFlush(),
      shutdown: () => inner.shutdown(),
    };
  }

  /** One line for shutdown: what was delivered and what was not. */
  summarize(): void {
    const missing = this.lost + this.pending;
    if (missing === 0) this.logger.debug(`tracing: ${this.delivered} spans delivered to ${this.target}`);
    else this.logger.warn(`tracing: ${missing} of ${missing + this.delivered} spans were not delivered to ${this.target}`);
  }

  private lose(count: number, reason: string): void {
    this.lost += count;
    if (this.reported) return;
    this.reported = true;
    this.logger.warn(`tracing: dropping spans for ${this.target} (${reason}); calls are not affected, the total is reported at shutdown`);
  }
}
