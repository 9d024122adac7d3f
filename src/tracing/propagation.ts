import { ROOT_CONTEXT, defaultTextMapGetter, trace, type TextMapGetter } from '@opentelemetry/api';
import { W3CTraceContextPropagator } from '@opentelemetry/core';
import type { JSONRPCNotification, JSONRPCRequest } from '../gateway/index.js';
import type { SpanParent } from './span-record.js';

const w3c = new W3CTraceContextPropagator();

type Meta = Record<string, unknown>;

function metaOf(message: JSONRPCRequest | JSONRPCNotification): Meta | undefined {
  const meta = (message.params as { _meta?: unknown } | undefined)?._meta;
  // A client may send anything here: only an object can carry a trace context.
  return typeof meta === 'object' && meta !== null && !Array.isArray(meta) ? (meta as Meta) : undefined;
}

const headersGetter: TextMapGetter<Headers> = {
  get: (carrier, key) => carrier.get(key) ?? undefined,
  keys: (carrier) => [...carrier.keys()],
};

/** Web Headers, or an object that implements them (a runtime adapter's): `_meta` from JSON holds no function. */
function isHeaders(carrier: Headers | Meta): carrier is Headers {
  return typeof carrier.get === 'function';
}

/** A W3C trace context from the HTTP headers or the message's `_meta` (as MCP's semantic conventions carry it). */
export function extractTraceContext(carrier: Headers | Meta | undefined): SpanParent | undefined {
  if (carrier === undefined) return undefined;
  if (isHeaders(carrier) ? !carrier.has('traceparent') : carrier.traceparent === undefined) return undefined;
  const context = trace.getSpanContext(isHeaders(carrier) ? w3c.extract(ROOT_CONTEXT, carrier, headersGetter) : w3c.extract(ROOT_CONTEXT, carrier, defaultTextMapGetter));
  if (context === undefined) return undefined;
  const { traceId, spanId, traceFlags, traceState } = context;
  return { traceId, spanId, traceFlags, isRemote: true, traceState: traceState?.serialize() || undefined };
}

/** A trace context that came with a message. */
export interface RemoteParent extends SpanParent {
  /** True when the message's own `_meta` carries it (so the next hop gets it without a rewrite). */
  readonly inMeta: boolean;
}

/**
 * The remote parent of a message: its own `_meta.traceparent` (the most specific: one request of a batch), else
 * the traceparent header of the HTTP request that carried it.
 */
export function remoteParent(message: JSONRPCRequest | JSONRPCNotification, headers: Headers | undefined): RemoteParent | undefined {
  const fromMeta = extractTraceContext(metaOf(message));
  const parent = fromMeta ?? extractTraceContext(headers);
  return parent && { ...parent, inMeta: fromMeta !== undefined };
}

/**
 * A copy of the message whose `_meta` carries the given span as W3C traceparent (and tracestate), for the next
 * hop. Formatted here rather than through the propagator: this runs on every traced call, and the ids are known
 * valid.
 */
export function withTraceContext<M extends JSONRPCRequest | JSONRPCNotification>(message: M, span: { traceId: string; spanId: string; traceFlags: number; traceState?: string | undefined }): M {
  const carrier: Record<string, string> = { traceparent: `00-${span.traceId}-${span.spanId}-${(span.traceFlags & 0xff).toString(16).padStart(2, '0')}` };
  if (span.traceState) carrier.tracestate = span.traceState;
  const params = message.params ?? {};
  return { ...message, params: { ...params, _meta: { ...metaOf(message), ...carrier } } };
}
