import { ROOT_CONTEXT, defaultTextMapGetter, defaultTextMapSetter, trace, type Context } from '@opentelemetry/api';
import { W3CTraceContextPropagator } from '@opentelemetry/core';
import type { IncomingHttpHeaders } from 'node:http';
import type { JSONRPCNotification, JSONRPCRequest } from '../gateway/types.js';

const w3c = new W3CTraceContextPropagator();

type Meta = Record<string, unknown>;

function metaOf(message: JSONRPCRequest | JSONRPCNotification): Meta | undefined {
  return (message.params as { _meta?: Meta } | undefined)?._meta;
}

/** A W3C trace context from the HTTP headers or the message's `_meta` (as MCP's semantic conventions carry it). */
export function extractTraceContext(carrier: IncomingHttpHeaders | Meta | undefined): Context | undefined {
  if (carrier === undefined || carrier.traceparent === undefined) return undefined;
  const context = w3c.extract(ROOT_CONTEXT, carrier, defaultTextMapGetter);
  return trace.getSpanContext(context) === undefined ? undefined : context;
}

/**
 * The remote parent of a message: its own `_meta.traceparent` (the most specific: one request of a batch), else
 * the traceparent header of the HTTP request that carried it. `inMeta` tells whether the message already says so.
 */
export function remoteParent(message: JSONRPCRequest | JSONRPCNotification, headers: IncomingHttpHeaders | undefined): { context: Context; inMeta: boolean } | undefined {
  const fromMeta = extractTraceContext(metaOf(message));
  if (fromMeta) return { context: fromMeta, inMeta: true };
  const fromHeaders = extractTraceContext(headers);
  return fromHeaders && { context: fromHeaders, inMeta: false };
}

/** A copy of the message whose `_meta` carries `context` as traceparent (and tracestate), for the next hop. */
export function withTraceContext<M extends JSONRPCRequest | JSONRPCNotification>(message: M, context: Context): M {
  const carrier: Record<string, string> = {};
  w3c.inject(context, carrier, defaultTextMapSetter);
  if (carrier.traceparent === undefined) return message;
  const params = message.params ?? {};
  return { ...message, params: { ...params, _meta: { ...metaOf(message), ...carrier } } };
}
