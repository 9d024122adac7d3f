import type { Attributes, HrTime, Link, SpanContext, SpanKind, SpanStatus } from '@opentelemetry/api';
import type { ReadableSpan, TimedEvent } from '@opentelemetry/sdk-trace-base';

/** A span's context as plain data: TraceState is a class, so it travels serialized. */
interface ContextData {
  readonly traceId: string;
  readonly spanId: string;
  readonly traceFlags: number;
  readonly isRemote?: boolean;
  readonly traceState?: string;
}

/** What the OTLP exporter reads from a finished span, as data a worker thread can receive. */
export interface SpanData {
  readonly name: string;
  readonly kind: SpanKind;
  readonly context: ContextData;
  readonly parent?: ContextData;
  readonly startTime: HrTime;
  readonly endTime: HrTime;
  readonly duration: HrTime;
  readonly status: SpanStatus;
  readonly attributes: Attributes;
  readonly events: TimedEvent[];
  readonly links: { context: ContextData; attributes?: Attributes; droppedAttributesCount?: number }[];
  readonly droppedAttributesCount: number;
  readonly droppedEventsCount: number;
  readonly droppedLinksCount: number;
  readonly scope: { name: string; version?: string; schemaUrl?: string };
}

/** One export: the spans of a batch and the resource they share (one tracer provider, one resource). */
export interface ExportRequest {
  readonly id: number;
  readonly resource: { attributes: Attributes; schemaUrl?: string };
  readonly spans: SpanData[];
}

export interface ExportReply {
  readonly id: number;
  readonly ok: boolean;
  readonly error?: string;
}

function contextData(context: SpanContext): ContextData {
  return { traceId: context.traceId, spanId: context.spanId, traceFlags: context.traceFlags, isRemote: context.isRemote, traceState: context.traceState?.serialize() };
}

function spanContextOf(data: ContextData): SpanContext {
  const { traceState, ...rest } = data;
  return traceState === undefined ? rest : { ...rest, traceState: { serialize: () => traceState } as SpanContext['traceState'] };
}

export function toSpanData(span: ReadableSpan): SpanData {
  return {
    name: span.name,
    kind: span.kind,
    context: contextData(span.spanContext()),
    parent: span.parentSpanContext && contextData(span.parentSpanContext),
    startTime: span.startTime,
    endTime: span.endTime,
    duration: span.duration,
    status: span.status,
    attributes: span.attributes,
    events: span.events,
    links: span.links.map((link) => ({ context: contextData(link.context), attributes: link.attributes, droppedAttributesCount: link.droppedAttributesCount })),
    droppedAttributesCount: span.droppedAttributesCount,
    droppedEventsCount: span.droppedEventsCount,
    droppedLinksCount: span.droppedLinksCount,
    scope: { name: span.instrumentationScope.name, version: span.instrumentationScope.version, schemaUrl: span.instrumentationScope.schemaUrl },
  };
}

/**
 * Back to a ReadableSpan on the worker's side. Only what OTLP serialization reads is there: the resource is its
 * attributes (one object for the batch, as the exporter groups spans by resource identity).
 */
export function fromSpanData(data: SpanData, resource: ExportRequest['resource']): ReadableSpan {
  const context = spanContextOf(data.context);
  return {
    name: data.name,
    kind: data.kind,
    spanContext: () => context,
    parentSpanContext: data.parent && spanContextOf(data.parent),
    startTime: data.startTime,
    endTime: data.endTime,
    duration: data.duration,
    ended: true,
    status: data.status,
    attributes: data.attributes,
    events: data.events,
    links: data.links.map((link): Link => ({ ...link, context: spanContextOf(link.context) })),
    droppedAttributesCount: data.droppedAttributesCount,
    droppedEventsCount: data.droppedEventsCount,
    droppedLinksCount: data.droppedLinksCount,
    instrumentationScope: data.scope,
    resource: resource as unknown as ReadableSpan['resource'],
  };
}
