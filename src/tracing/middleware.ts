import { randomUUID } from 'node:crypto';
import { SpanKind, TraceFlags } from '@opentelemetry/api';
import { relatedKey, targetOf, traceIdKey, type Caller, type Ctx, type JSONRPCRequest, type Middleware, type RequestId, type SessionInfo } from '../gateway/index.js';
import type { PayloadSerializer } from './payload.js';
import { remoteParent, withTraceContext } from './propagation.js';
import { newSpanId, newTraceId } from './span-ids.js';
import { spanRecord, wallClock, type SpanIdentity, type SpanOutcome, type SpanParent, type SpanSink, type SpanStart } from './span-record.js';

export interface TraceOptions {
  /** Where finished spans go: the export thread, or (in tests) a replayer. */
  sink: SpanSink;
  /** Serializes arguments and results onto spans (redacted, bounded). */
  payload: PayloadSerializer;
  /** Fraction of calls recorded, 0..1 (default 1). Failed calls and refusals are recorded regardless. */
  sample?: number;
}

/** What the middleware remembers per session (weakly: it goes when the session goes). */
interface SessionTraces {
  /** Caller and session, the same on every span of the session (a session keeps its caller's sub). */
  readonly identity: SpanIdentity;
  /** The "mcp session" span, parent of every call that brings no trace context of its own. */
  parent: SpanParent | undefined;
  /** Recorded client requests in flight: parents of the server requests (sampling, elicitation) they cause. */
  readonly calls: Map<RequestId, SpanParent>;
}

/** A span being recorded: it is the parent of what it causes, so it carries its trace flags and state too. */
interface OpenSpan extends SpanStart, SpanParent {}

interface Outcome {
  readonly name: SpanOutcome;
  /** Why the request failed, when it did. */
  readonly failure?: string;
  /** The thrown error's name, the JSON-RPC error code, or "tool_error", as OpenTelemetry's MCP conventions put it. */
  readonly errorType?: string;
}

const sessionSpanName = 'mcp session';

/**
 * Traces every request in both directions as a span: client requests (tools/call, resources/read, prompts/get,
 * completion/complete, lists, initialize) as SERVER spans, server requests (sampling, elicitation) as CLIENT
 * spans under the call that caused them, all under one "mcp session" span per session unless the request
 * brings its own W3C trace context, which then becomes the parent and travels on in `params._meta`.
 * Sits before auth and rate limits in the chain, so their refusals are traced too.
 * On the serving thread a span is only a record of facts (ids, times, caller, payloads, outcome) handed to the
 * sink; OpenTelemetry and Langfuse make it a span on the export thread.
 */
export function trace(options: TraceOptions): Middleware {
  const { sink, payload } = options;
  const sample = options.sample ?? 1;
  const sessions = new WeakMap<SessionInfo, SessionTraces>();

  const sessionOf = (info: SessionInfo, caller: Caller): SessionTraces => {
    let traces = sessions.get(info);
    if (!traces) {
      traces = { identity: identityOf(info, caller), parent: undefined, calls: new Map() };
      sessions.set(info, traces);
    }
    return traces;
  };

  const endCall = (span: OpenSpan, ctx: Ctx, request: JSONRPCRequest, identity: SpanIdentity, outcome: Outcome, end: number): void => {
    const result = resultOf(ctx);
    const error = ctx.response !== undefined && 'error' in ctx.response ? ctx.response.error : undefined;
    const failed = outcome.failure !== undefined;
    sink(
      spanRecord(span, end, identity, {
        method: request.method,
        requestId: String(request.id),
        target: targetOf(request),
        input: payload(inputOf(request)),
        output: payload(error ?? result),
        outcome: outcome.name,
        failure: outcome.failure,
        errorType: outcome.errorType,
        rpcStatus: failed ? error?.code : undefined,
        httpStatus: failed ? ctx.http?.status : undefined,
        model: request.method === 'sampling/createMessage' && typeof result?.model === 'string' ? result.model : undefined,
        protocolVersion: protocolVersionOf(result),
      }),
    );
  };

  const endSession = (span: OpenSpan, ctx: Ctx, identity: SpanIdentity, outcome: Outcome, end: number): void => {
    sink(spanRecord(span, end, identity, { failure: outcome.failure, protocolVersion: protocolVersionOf(resultOf(ctx)) }));
  };

  return async (ctx, next) => {
    const request = ctx.message;
    if (!('id' in request) || request.method === 'ping') return next();
    const session = sessionOf(ctx.session, ctx.caller);
    const remote = remoteParent(request, ctx.headers);
    const related = ctx.direction === 'out' ? session.calls.get(ctx.state.get(relatedKey) as RequestId) : undefined;
    let parent = remote ?? related ?? session.parent;

    let sessionSpan: OpenSpan | undefined;
    if (ctx.direction === 'in' && request.method === 'initialize' && sample > 0) {
      sessionSpan = openSpan(sessionSpanName, SpanKind.SERVER, parent, ctx.receivedAt);
      parent = session.parent = sessionSpan;
    }
    const recorded = sessionSpan !== undefined || (remote ? (remote.traceFlags & TraceFlags.SAMPLED) !== 0 : related !== undefined || Math.random() < sample);
    const kind = ctx.direction === 'in' ? SpanKind.SERVER : SpanKind.CLIENT;
    const span = recorded ? openSpan(spanName(request), kind, parent, ctx.receivedAt) : undefined;

    ctx.state.set(traceIdKey, (span ?? parent)?.traceId);
    if (span) ctx.message = withTraceContext(request, span);
    else if (remote && !remote.inMeta) ctx.message = withTraceContext(request, remote);
    if (span && ctx.direction === 'in') session.calls.set(request.id, span);

    let thrown: Error | undefined;
    try {
      await next();
    } catch (error) {
      thrown = error instanceof Error ? error : new Error(String(error));
      throw error;
    } finally {
      if (span && ctx.direction === 'in') session.calls.delete(request.id);
      const outcome = outcomeOf(ctx, thrown);
      const end = wallClock(performance.now());
      // The session span goes first: a parent reaches the span processors before its children.
      if (sessionSpan) endSession(sessionSpan, ctx, session.identity, outcome, end);
      // A sampled-out call that fails is still traced, after the fact: errors are what a trace is for.
      const finished = span ?? (outcome.failure !== undefined ? openSpan(spanName(request), kind, parent, ctx.receivedAt) : undefined);
      if (finished) endCall(finished, ctx, request, session.identity, outcome, end);
    }
  };
}

/** A new span under `parent` (or a new trace), started at the performance.now() reading `at`. */
function openSpan(name: string, kind: SpanKind, parent: SpanParent | undefined, at: number): OpenSpan {
  return {
    name,
    kind,
    traceId: parent?.traceId ?? newTraceId(),
    spanId: newSpanId(),
    traceFlags: TraceFlags.SAMPLED,
    isRemote: false,
    traceState: parent?.traceState,
    parent,
    start: wallClock(at),
  };
}

/**
 * The caller and session every span of a session carries. stdio's fixed session id "stdio" becomes unique per
 * run, so that runs don't merge into one Langfuse session.
 */
function identityOf(info: SessionInfo, caller: Caller): SpanIdentity {
  return { user: caller.sub, session: info.front === 'stdio' ? `stdio-${randomUUID()}` : info.id, clientAddress: info.remoteAddress };
}

/** The response's result, when it is one (a server may answer null). */
function resultOf(ctx: Ctx): Record<string, unknown> | null | undefined {
  return ctx.response !== undefined && 'result' in ctx.response ? (ctx.response.result as Record<string, unknown> | null) : undefined;
}

function protocolVersionOf(result: Record<string, unknown> | null | undefined): string | undefined {
  return typeof result?.protocolVersion === 'string' ? result.protocolVersion : undefined;
}

/** `{mcp.method.name} {target}` for tools and prompts, as OpenTelemetry's MCP conventions name spans; URIs stay out (cardinality). */
function spanName(request: JSONRPCRequest): string {
  const target = targetOf(request);
  return (request.method === 'tools/call' || request.method === 'prompts/get') && target !== undefined ? `${request.method} ${target}` : request.method;
}

/** The arguments of a tool or prompt; otherwise the params, less the `_meta` envelope. */
function inputOf(request: JSONRPCRequest): unknown {
  const params = request.params as Record<string, unknown> | undefined;
  if (params === undefined) return undefined;
  if (request.method === 'tools/call' || request.method === 'prompts/get') return params.arguments;
  const { _meta, ...rest } = params;
  return Object.keys(rest).length > 0 ? rest : undefined;
}

function outcomeOf(ctx: Ctx, thrown: Error | undefined): Outcome {
  if (thrown !== undefined) return { name: 'error', failure: thrown.message, errorType: thrown.name };
  const response = ctx.response;
  if (response === undefined) return { name: 'cancelled' };
  if ('error' in response) {
    const { code, message } = response.error;
    return { name: ctx.refused ? 'refused' : 'error', failure: message, errorType: String(code) };
  }
  const result = response.result as { isError?: unknown; content?: unknown } | undefined;
  if (result?.isError === true) return { name: 'tool_error', failure: firstText(result.content) ?? 'the tool reported an error', errorType: 'tool_error' };
  return { name: 'ok' };
}

/** The first text block of a tool result: the tool's own words for what went wrong. */
function firstText(content: unknown): string | undefined {
  if (!Array.isArray(content)) return undefined;
  const block = content.find((item): item is { type: 'text'; text: string } => (item as { type?: unknown })?.type === 'text' && typeof (item as { text?: unknown }).text === 'string');
  return block === undefined ? undefined : block.text.slice(0, 500);
}
