import { ROOT_CONTEXT, SpanStatusCode, trace, type Context } from '@opentelemetry/api';
import { TraceState } from '@opentelemetry/core';
import { defaultResource, resourceFromAttributes } from '@opentelemetry/resources';
import { AlwaysOnSampler, BasicTracerProvider, type IdGenerator, type SpanProcessor } from '@opentelemetry/sdk-trace-base';
import { spanAttributes } from './span-attributes.js';
import type { SpanParent, SpanRecord } from './span-record.js';

/** Gives the SDK the ids the serving thread already chose (and sent on in traceparent) for the span being replayed. */
class RecordedIds implements IdGenerator {
  current: SpanRecord | undefined;
  generateTraceId(): string {
    return this.current!.traceId;
  }
  generateSpanId(): string {
    return this.current!.spanId;
  }
}

export interface Replayer {
  /** Turns a record into a real OpenTelemetry span, started and ended, through the provider's span processors. */
  replay(record: SpanRecord): void;
  readonly provider: BasicTracerProvider;
}

/**
 * A tracer provider of mcpctl's own (never registered globally, so a served module's OpenTelemetry setup is left
 * alone) that rebuilds spans from records: each span processor (Langfuse's, a batch processor) sees an ordinary
 * SDK span, with the ids, times and parent the serving thread recorded, and attributes and status from its facts.
 */
export function createReplayer(spanProcessors: SpanProcessor[], serviceName = 'mcpctl'): Replayer {
  const ids = new RecordedIds();
  // The SDK's default resource names the service "unknown_service:node"; backends group traces by this name.
  const resource = defaultResource().merge(resourceFromAttributes({ 'service.name': serviceName }));
  // Sampling was decided per call on the serving thread (failures are always kept): every record is a span.
  const provider = new BasicTracerProvider({ resource, sampler: new AlwaysOnSampler(), idGenerator: ids, spanProcessors });
  const tracer = provider.getTracer('mcpctl');
  return {
    provider,
    replay(record) {
      ids.current = record;
      const span = tracer.startSpan(record.name, { kind: record.kind, startTime: record.start, attributes: spanAttributes(record) }, parentContext(record.traceId, record.parent));
      ids.current = undefined;
      if (record.failure !== undefined) span.setStatus({ code: SpanStatusCode.ERROR, message: record.failure });
      span.end(record.end);
    },
  };
}

function parentContext(traceId: string, parent: SpanParent | undefined): Context {
  if (parent === undefined) return ROOT_CONTEXT;
  return trace.setSpanContext(ROOT_CONTEXT, {
    traceId,
    spanId: parent.spanId,
    traceFlags: parent.traceFlags,
    isRemote: parent.isRemote,
    traceState: parent.traceState === undefined ? undefined : new TraceState(parent.traceState),
  });
}
