import { SpanKind } from '@opentelemetry/api';
import type { Feature, HttpRefusal, RefusedRequest } from '../gateway/index.js';
import { extractTraceContext } from './propagation.js';
import { newSpanId, newTraceId } from './span-ids.js';
import { spanRecord, wallClock, type SpanRecord, type SpanSink } from './span-record.js';

/**
 * Traces the requests the HTTP request stage refuses (401 for a missing or bad token): it answers them before
 * any message reaches the chain, so the trace middleware never sees them.
 */
export function traceHttpRefusal(sink: SpanSink): NonNullable<Feature['onRefusal']> {
  return (refusal, request) => sink(refusalRecord(request, refusal));
}

function refusalRecord({ headers, remoteAddress, receivedAt }: RefusedRequest, refusal: HttpRefusal): SpanRecord {
  const start = wallClock(receivedAt);
  const parent = extractTraceContext(headers);
  const span = { name: 'auth refused', kind: SpanKind.SERVER, traceId: parent?.traceId ?? newTraceId(), spanId: newSpanId(), parent, start };
  const identity = { user: undefined, session: undefined, clientAddress: remoteAddress };
  return spanRecord(span, wallClock(performance.now()), identity, { outcome: 'refused', failure: refusal.reason, errorType: String(refusal.status), httpStatus: refusal.status });
}
