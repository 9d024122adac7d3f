import { SpanKind } from '@opentelemetry/api';
import type { IncomingHttpHeaders } from 'node:http';
import type { HttpAuthenticator, HttpRefusal } from '../gateway/types.js';
import { extractTraceContext } from './propagation.js';
import { newSpanId, newTraceId } from './span-ids.js';
import { spanRecord, wallClock, type SpanRecord, type SpanSink } from './span-record.js';

/**
 * Wraps the HTTP front's authenticator so that requests it refuses (401 for a missing or bad token) are traced:
 * the front answers them before any message reaches the chain, so the trace middleware never sees them.
 */
export function traceHttpRefusals(sink: SpanSink): (authenticator: HttpAuthenticator) => HttpAuthenticator {
  return (authenticator) => ({
    documents: authenticator.documents,
    async authenticate(...args: Parameters<HttpAuthenticator['authenticate']>) {
      const start = wallClock(performance.now());
      const outcome = await authenticator.authenticate(...args);
      if ('refused' in outcome) sink(refusalRecord(args[0], args[1], outcome, start));
      return outcome;
    },
  });
}

function refusalRecord(headers: IncomingHttpHeaders, remoteAddress: string | undefined, refusal: HttpRefusal, start: number): SpanRecord {
  const parent = extractTraceContext(headers);
  const span = { name: 'auth refused', kind: SpanKind.SERVER, traceId: parent?.traceId ?? newTraceId(), spanId: newSpanId(), parent, start };
  const identity = { user: undefined, session: undefined, clientAddress: remoteAddress };
  return spanRecord(span, wallClock(performance.now()), identity, { outcome: 'refused', failure: refusal.reason, errorType: String(refusal.status), httpStatus: refusal.status });
}
