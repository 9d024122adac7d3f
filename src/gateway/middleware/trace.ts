import { randomUUID } from 'node:crypto';
import { ROOT_CONTEXT, SpanKind, SpanStatusCode, TraceFlags, trace as otel, type Attributes, type Context, type Span, type Tracer } from '@opentelemetry/api';
import { LangfuseOtelSpanAttributes as Langfuse } from '@langfuse/tracing';
import type { PayloadSerializer } from '../../tracing/payload.js';
import { remoteParent, withTraceContext } from '../../tracing/propagation.js';
import { targetOf } from '../jsonrpc.js';
import { relatedKey } from '../session.js';
import type { Caller, Ctx, JSONRPCRequest, Middleware, RequestId, SessionInfo } from '../types.js';
import { traceIdKey } from './log.js';

export interface TraceOptions {
  /** From a tracer provider of mcpctl's own: never the global one a served module may have set up. */
  tracer: Tracer;
  /** Serializes arguments and results onto spans (redacted, bounded). */
  payload: PayloadSerializer;
  /** Fraction of calls recorded, 0..1 (default 1). Failed calls and refusals are recorded regardless. */
  sample?: number;
}

/** What the middleware remembers per session (weakly: it goes when the session goes). */
interface SessionTraces {
  /** Caller and session attributes, the same on every span of the session (a session keeps its caller's sub). */
  readonly identity: Attributes;
  /** The "mcp session" span, parent of every call that brings no trace context of its own. */
  context: Context | undefined;
  /** Recorded client requests in flight: parents of the server requests (sampling, elicitation) they cause. */
  readonly calls: Map<RequestId, Span>;
}

interface Outcome {
  readonly name: 'ok' | 'tool_error' | 'error' | 'refused' | 'cancelled';
  readonly failed: boolean;
  readonly reason?: string;
  /** The JSON-RPC error code, or "tool_error", as OpenTelemetry's MCP conventions put it. */
  readonly errorType?: string;
}

const sessionSpanName = 'mcp session';

/**
 * Traces every request in both directions as a span: client requests (tools/call, resources/read, prompts/get,
 * completion/complete, lists, initialize) as SERVER spans, server requests (sampling, elicitation) as CLIENT
 * spans under the call that caused them, all under one "mcp session" span per session unless the request
 * brings its own W3C trace context, which then becomes the parent and travels on in `params._meta`.
 * Sits before auth and rate limits in the chain, so their refusals are traced too.
 * Attributes are set once, when the answer is known: every one of them costs on each call and in each export.
 */
export function trace(options: TraceOptions): Middleware {
  const { tracer, payload } = options;
  const sample = options.sample ?? 1;
  const sessions = new WeakMap<SessionInfo, SessionTraces>();

  const sessionOf = (info: SessionInfo, caller: Caller): SessionTraces => {
    let traces = sessions.get(info);
    if (!traces) {
      traces = { identity: identityOf(info, caller), context: undefined, calls: new Map() };
      sessions.set(info, traces);
    }
    return traces;
  };

  const startCall = (ctx: Ctx, request: JSONRPCRequest, parent: Context): Span =>
    tracer.startSpan(spanName(request), { kind: ctx.direction === 'in' ? SpanKind.SERVER : SpanKind.CLIENT, startTime: wallClock(ctx.receivedAt) }, parent);

  const endCall = (span: Span, ctx: Ctx, request: JSONRPCRequest, session: SessionTraces, outcome: Outcome): void => {
    const response = ctx.response;
    const result = response !== undefined && 'result' in response ? (response.result as Record<string, unknown>) : undefined;
    const error = response !== undefined && 'error' in response ? response.error : undefined;
    const attributes: Attributes = {
      ...session.identity,
      'mcp.method.name': request.method,
      'jsonrpc.request.id': String(request.id),
      [Langfuse.OBSERVATION_INPUT]: payload(inputOf(request)),
      [Langfuse.OBSERVATION_OUTPUT]: payload(error ?? result),
      'mcp.outcome': outcome.name,
    };
    addTarget(attributes, request);
    if (request.method === 'tools/call') attributes[Langfuse.OBSERVATION_TYPE] = 'tool';
    if (request.method === 'sampling/createMessage') {
      attributes[Langfuse.OBSERVATION_TYPE] = 'generation';
      if (typeof result?.model === 'string') attributes[Langfuse.OBSERVATION_MODEL] = result.model;
    }
    if (typeof result?.protocolVersion === 'string') attributes['mcp.protocol.version'] = result.protocolVersion;
    if (outcome.name === 'cancelled') attributes[Langfuse.OBSERVATION_LEVEL] = 'WARNING';
    if (outcome.failed) {
      attributes[Langfuse.OBSERVATION_LEVEL] = 'ERROR';
      attributes[Langfuse.OBSERVATION_STATUS_MESSAGE] = outcome.reason;
      attributes['error.type'] = outcome.errorType;
      if (error !== undefined) attributes['rpc.response.status_code'] = String(error.code);
      if (ctx.http !== undefined) attributes['http.response.status_code'] = ctx.http.status;
      span.setStatus({ code: SpanStatusCode.ERROR, message: outcome.reason });
    }
    span.setAttributes(attributes);
    span.end(wallClock(performance.now()));
  };

  return async (ctx, next) => {
    const request = ctx.message;
    if (!('id' in request) || request.method === 'ping') return next();
    const session = sessionOf(ctx.session, ctx.caller);
    const remote = remoteParent(request, ctx.headers);
    const related = ctx.direction === 'out' ? session.calls.get(ctx.state.get(relatedKey) as RequestId) : undefined;
    let parent = remote?.context ?? (related && otel.setSpan(ROOT_CONTEXT, related)) ?? session.context ?? ROOT_CONTEXT;

    let sessionSpan: Span | undefined;
    if (ctx.direction === 'in' && request.method === 'initialize' && sample > 0) {
      sessionSpan = tracer.startSpan(sessionSpanName, { kind: SpanKind.SERVER, startTime: wallClock(ctx.receivedAt), attributes: session.identity }, parent);
      parent = otel.setSpan(parent, sessionSpan);
      session.context = parent;
    }
    const recorded = sessionSpan !== undefined || (remote ? (remote.spanContext.traceFlags & TraceFlags.SAMPLED) !== 0 : related !== undefined || Math.random() < sample);
    const span = recorded ? startCall(ctx, request, parent) : undefined;

    ctx.state.set(traceIdKey, (span?.spanContext() ?? otel.getSpanContext(parent))?.traceId);
    if (span) ctx.message = withTraceContext(request, span.spanContext());
    else if (remote && !remote.inMeta) ctx.message = withTraceContext(request, remote.spanContext);
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
      // A sampled-out call that fails is still traced, after the fact: errors are what a trace is for.
      const finished = span ?? (outcome.failed ? startCall(ctx, request, parent) : undefined);
      if (finished) endCall(finished, ctx, request, session, outcome);
      if (sessionSpan) {
        const version = ctx.response && 'result' in ctx.response ? (ctx.response.result as { protocolVersion?: unknown } | null)?.protocolVersion : undefined;
        if (typeof version === 'string') sessionSpan.setAttribute('mcp.protocol.version', version);
        if (outcome.failed) sessionSpan.setStatus({ code: SpanStatusCode.ERROR, message: outcome.reason });
        sessionSpan.end(wallClock(performance.now()));
      }
    }
  };
}

/**
 * Langfuse's user and session (its OpenTelemetry mapping reads langfuse.user.id / langfuse.session.id), and
 * OpenTelemetry's MCP session id. stdio's fixed session id "stdio" becomes unique per run, so that runs don't
 * merge into one Langfuse session.
 */
function identityOf(info: SessionInfo, caller: Caller): Attributes {
  const id = info.front === 'stdio' ? `stdio-${randomUUID()}` : info.id;
  const identity: Attributes = { [Langfuse.TRACE_COMPAT_USER_ID]: caller.sub, [Langfuse.TRACE_COMPAT_SESSION_ID]: id, 'mcp.session.id': id };
  if (info.remoteAddress !== undefined) identity['client.address'] = info.remoteAddress;
  return identity;
}

/**
 * Epoch milliseconds, sub-millisecond precise, for a performance.now() reading. Given a start time, the SDK would
 * otherwise take end times from Date.now() and lose the precision a 1 ms call needs.
 */
function wallClock(at: number): number {
  return performance.timeOrigin + at;
}

/** `{mcp.method.name} {target}` for tools and prompts, as OpenTelemetry's MCP conventions name spans; URIs stay out (cardinality). */
function spanName(request: JSONRPCRequest): string {
  const target = targetOf(request);
  return (request.method === 'tools/call' || request.method === 'prompts/get') && target !== undefined ? `${request.method} ${target}` : request.method;
}

/** What the request acts on, under OpenTelemetry's MCP names. */
function addTarget(attributes: Attributes, request: JSONRPCRequest): void {
  const target = targetOf(request);
  if (target === undefined) return;
  if (request.method === 'tools/call') attributes['gen_ai.tool.name'] = target;
  else if (request.method === 'prompts/get') attributes['gen_ai.prompt.name'] = target;
  else attributes['mcp.resource.uri'] = target;
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
  if (thrown !== undefined) return { name: 'error', failed: true, reason: thrown.message, errorType: thrown.name };
  const response = ctx.response;
  if (response === undefined) return { name: 'cancelled', failed: false };
  if ('error' in response) {
    const { code, message } = response.error;
    return { name: ctx.refused ? 'refused' : 'error', failed: true, reason: message, errorType: String(code) };
  }
  const result = response.result as { isError?: unknown; content?: unknown } | undefined;
  if (result?.isError === true) return { name: 'tool_error', failed: true, reason: firstText(result.content) ?? 'the tool reported an error', errorType: 'tool_error' };
  return { name: 'ok', failed: false };
}

/** The first text block of a tool result: the tool's own words for what went wrong. */
function firstText(content: unknown): string | undefined {
  if (!Array.isArray(content)) return undefined;
  const block = content.find((item): item is { type: 'text'; text: string } => (item as { type?: unknown })?.type === 'text' && typeof (item as { text?: unknown }).text === 'string');
  return block === undefined ? undefined : block.text.slice(0, 500);
}
