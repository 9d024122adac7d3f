import { ROOT_CONTEXT, SpanKind, SpanStatusCode, type Tracer } from '@opentelemetry/api';
import { createObservationAttributes } from '@langfuse/tracing';
import type { IncomingHttpHeaders } from 'node:http';
import type { HttpAuthenticator, HttpRefusal } from '../gateway/types.js';
import { extractTraceContext } from './propagation.js';

/**
 * Wraps the HTTP front's authenticator so that requests it refuses (401 for a missing or bad token) are traced:
 * the front answers them before any message reaches the chain, so the trace middleware never sees them.
 */
export function traceHttpRefusals(tracer: Tracer): (authenticator: HttpAuthenticator) => HttpAuthenticator {
  return (authenticator) => ({
    documents: authenticator.documents,
    async authenticate(...args: Parameters<HttpAuthenticator['authenticate']>) {
      const outcome = await authenticator.authenticate(...args);
      if ('refused' in outcome) record(tracer, args[0], args[1], outcome);
      return outcome;
    },
  });
}

function record(tracer: Tracer, headers: IncomingHttpHeaders, remoteAddress: string | undefined, refusal: HttpRefusal): void {
  const { reason } = refusal;
  const span = tracer.startSpan(
    'auth refused',
    {
      kind: SpanKind.SERVER,
      attributes: {
        ...createObservationAttributes('span', { level: 'ERROR', statusMessage: reason }),
        'mcp.outcome': 'refused',
        'error.type': String(refusal.status),
        'http.response.status_code': refusal.status,
        'network.transport': 'tcp',
        ...(remoteAddress === undefined ? {} : { 'client.address': remoteAddress }),
      },
    },
    extractTraceContext(headers) ?? ROOT_CONTEXT,
  );
  span.setStatus({ code: SpanStatusCode.ERROR, message: reason });
  span.end();
}
