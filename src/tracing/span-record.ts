import type { SpanKind } from '@opentelemetry/api';

/** The span a record hangs under: one of mcpctl's own, or one a client sent (W3C traceparent). */
export interface SpanParent {
  readonly traceId: string;
  readonly spanId: string;
  /** W3C trace flags of the parent; a remote parent that is not sampled is not recorded under. */
  readonly traceFlags: number;
  readonly isRemote: boolean;
  /** The W3C tracestate that came with a remote parent, serialized. */
  readonly traceState: string | undefined;
}

/** Who and where: one object per session, shared by all its spans. */
export interface SpanIdentity {
  /** The caller's `sub`. */
  readonly user: string | undefined;
  readonly session: string | undefined;
  readonly clientAddress: string | undefined;
}

/** How a traced request ended: `refused` is auth or a rate limit, `tool_error` a result with isError. */
export type SpanOutcome = 'ok' | 'tool_error' | 'error' | 'refused' | 'cancelled';

/** What is known of a span when it starts: its ids (they travel on in traceparent), parent and start time. */
export interface SpanStart {
  readonly name: string;
  readonly kind: SpanKind;
  /** The trace's id: the parent's when there is one. */
  readonly traceId: string;
  readonly spanId: string;
  readonly parent: SpanParent | undefined;
  /** Epoch milliseconds, sub-millisecond precise. */
  readonly start: number;
}

/** What is known of a span when it ends, beyond its end time and identity; whatever does not apply is undefined. */
export interface SpanFacts {
  /** The JSON-RPC request; undefined for a span that is not one request (the session, an HTTP refusal). */
  readonly method: string | undefined;
  readonly requestId: string | undefined;
  /** What the request acts on: the tool, prompt or resource URI. */
  readonly target: string | undefined;
  /** Arguments and result (or error), serialized, redacted and bounded. */
  readonly input: string | undefined;
  readonly output: string | undefined;
  readonly outcome: SpanOutcome | undefined;
  /** Why the span failed (its error status), when it did. */
  readonly failure: string | undefined;
  /** The thrown error's name, the JSON-RPC error code, "tool_error", or the HTTP status of a refusal. */
  readonly errorType: string | undefined;
  readonly rpcStatus: number | undefined;
  readonly httpStatus: number | undefined;
  /** The model a sampling request was answered by. */
  readonly model: string | undefined;
  readonly protocolVersion: string | undefined;
}

/**
 * A finished span as plain facts, all the serving thread builds per traced call: one fixed shape (see
 * spanRecord), cheap to build and to copy to the export thread in batches. There, span-attributes.ts maps the
 * facts to OpenTelemetry's and Langfuse's attribute names, and OpenTelemetry's SDK with Langfuse's span
 * processor turns the record into a span (replay.ts).
 */
export interface SpanRecord extends SpanStart, SpanFacts {
  readonly end: number;
  readonly identity: SpanIdentity;
}

/** Epoch milliseconds, sub-millisecond precise, for a performance.now() reading: how records keep time. */
export const wallClock = (at: number): number => performance.timeOrigin + at;

/** Where the serving thread hands its finished spans. */
export type SpanSink = (record: SpanRecord) => void;

/**
 * Builds a record, always with every field in the same order: V8 then keeps one hidden class for all records,
 * which is what makes building and copying them cheap.
 */
export function spanRecord(span: SpanStart, end: number, identity: SpanIdentity, facts: Partial<SpanFacts>): SpanRecord {
  return {
    name: span.name,
    kind: span.kind,
    traceId: span.traceId,
    spanId: span.spanId,
    parent: span.parent,
    start: span.start,
    end,
    identity,
    method: facts.method,
    requestId: facts.requestId,
    target: facts.target,
    input: facts.input,
    output: facts.output,
    outcome: facts.outcome,
    failure: facts.failure,
    errorType: facts.errorType,
    rpcStatus: facts.rpcStatus,
    httpStatus: facts.httpStatus,
    model: facts.model,
    protocolVersion: facts.protocolVersion,
  };
}
