import { randomUUID } from 'node:crypto';
import { ROOT_CONTEXT, SpanKind, SpanStatusCode, TraceFlags, trace as otel, type Attributes, type Context, type Span, type Tracer } from '@opentelemetry/api';
import { createObservationAttributes, type LangfuseObservationType, type ObservationLevel } from '@langfuse/tracing';
import type { PayloadSerializer } from '../../tracing/payload.js';
import { remoteParent, withTraceContext } from '../../tracing/propagation.js';
import { ErrorCode } from '../jsonrpc.js';
import { relatedKey } from '../session.js';
import type { Ctx, JSONRPCRequest, Middleware, RequestId, SessionInfo } from '../types.js';
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
  /** The session id spans carry; stdio's fixed "stdio" becomes unique per run so runs don't merge in Langfuse. */
  readonly id: string;
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
 */
export function trace(options: TraceOptions): Middleware {
  const { tracer, payload } = options;
  const sample = options.sample ?? 1;
  const sessions = new WeakMap<SessionInfo, SessionTraces>();

  const sessionOf = (info: SessionInfo): SessionTraces => {
    let traces = sessions.get(info);
    if (!traces) {
      traces = { id: info.front === 'stdio' ? `stdio-${randomUUID()}` : info.id, context: undefined, calls: new Map() };
      sessions.set(info, traces);
    }
    return traces;
  };

  const identity = (ctx: Ctx, session: SessionTraces): Attributes => ({
    'user.id': ctx.caller.sub,
    'langfuse.user.id': ctx.caller.sub,
    'session.id': session.id,
    'langfuse.session.id': session.id,
    'mcp.session.id': session.id,
    'mcp.caller.authenticated': ctx.caller.authenticated,
    'network.transport': ctx.session.front === 'http' ? 'tcp' : 'pipe',
    ...(ctx.session.remoteAddress === undefined ? {} : { 'client.address': ctx.session.remoteAddress }),
  });

  const startCall = (ctx: Ctx, request: JSONRPCRequest, session: SessionTraces, parent: Context): Span =>
    tracer.startSpan(
      spanName(request),
      { kind: ctx.direction === 'in' ? SpanKind.SERVER : SpanKind.CLIENT, startTime: wallClock(ctx.receivedAt), attributes: { ...identity(ctx, session), ...requestAttributes(request) } },
      parent,
    );

  const endCall = (span: Span, ctx: Ctx, request: JSONRPCRequest, outcome: Outcome): void => {
    const response = ctx.response;
    const result = response !== undefined && 'result' in response ? (response.result as Record<string, unknown>) : undefined;
    const error = response !== undefined && 'error' in response ? response.error : undefined;
    span.setAttributes({
      ...createObservationAttributes(observationType(request.method), {
        input: payload(inputOf(request)),
        output: payload(error ?? result),
        level: levelOf(outcome),
        statusMessage: outcome.reason,
        model: typeof result?.model === 'string' ? result.model : undefined,
      }),
      'mcp.outcome': outcome.name,
      ...(outcome.errorType === undefined ? {} : { 'error.type': outcome.errorType }),
      ...(error === undefined ? {} : { 'rpc.response.status_code': String(error.code) }),
      ...(ctx.http === undefined ? {} : { 'http.response.status_code': ctx.http.status }),
      ...(typeof result?.protocolVersion === 'string' ? { 'mcp.protocol.version': result.protocolVersion } : {}),
    });
    if (outcome.failed) span.setStatus({ code: SpanStatusCode.ERROR, message: outcome.reason });
    span.end(wallClock(performance.now()));
  };

  return async (ctx, next) => {
    const request = ctx.message;
    if (!('id' in request) || request.method === 'ping') return next();
    const session = sessionOf(ctx.session);
    const remote = remoteParent(request, ctx.headers);
    const related = ctx.direction === 'out' ? session.calls.get(ctx.state.get(relatedKey) as RequestId) : undefined;
    let parent = remote?.context ?? (related && otel.setSpan(ROOT_CONTEXT, related)) ?? session.context ?? ROOT_CONTEXT;

    let sessionSpan: Span | undefined;
    if (ctx.direction === 'in' && request.method === 'initialize' && sample > 0) {
      sessionSpan = tracer.startSpan(sessionSpanName, { kind: SpanKind.SERVER, startTime: wallClock(ctx.receivedAt), attributes: identity(ctx, session) }, parent);
      parent = otel.setSpan(parent, sessionSpan);
      session.context = parent;
    }
    const recorded = sessionSpan !== undefined || (remote ? isSampled(remote.context) : related !== undefined || Math.random() < sample);
    const span = recorded ? startCall(ctx, request, session, parent) : undefined;

    ctx.state.set(traceIdKey, (span?.spanContext() ?? otel.getSpanContext(parent))?.traceId);
    if (span) ctx.message = withTraceContext(request, otel.setSpan(parent, span));
    else if (remote && !remote.inMeta) ctx.message = withTraceContext(request, remote.context);
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
      const finished = span ?? (outcome.failed ? startCall(ctx, request, session, parent) : undefined);
      if (finished) endCall(finished, ctx, request, outcome);
      if (sessionSpan) {
        const version = ctx.response && 'result' in ctx.response ? (ctx.response.result as { protocolVersion?: unknown }).protocolVersion : undefined;
        if (typeof version === 'string') sessionSpan.setAttribute('mcp.protocol.version', version);
        if (outcome.failed) sessionSpan.setStatus({ code: SpanStatusCode.ERROR, message: outcome.reason });
        sessionSpan.end(wallClock(performance.now()));
      }
    }
  };
}

/**
 * Epoch milliseconds, sub-millisecond precise, for a performance.now() reading. Given a start time, the SDK would
 * otherwise take end times from Date.now() and lose the precision a 1 ms call needs.
 */
function wallClock(at: number): number {
  return performance.timeOrigin + at;
}

function isSampled(context: Context): boolean {
  return ((otel.getSpanContext(context)?.traceFlags ?? 0) & TraceFlags.SAMPLED) !== 0;
}

/** `{mcp.method.name} {target}` for tools and prompts, as OpenTelemetry's MCP conventions name spans; URIs stay out (cardinality). */
function spanName(request: JSONRPCRequest): string {
  const name = (request.params as { name?: unknown } | undefined)?.name;
  return (request.method === 'tools/call' || request.method === 'prompts/get') && typeof name === 'string' ? `${request.method} ${name}` : request.method;
}

function requestAttributes(request: JSONRPCRequest): Attributes {
  const params = request.params as { name?: unknown; uri?: unknown } | undefined;
  const attributes: Attributes = { 'mcp.method.name': request.method, 'jsonrpc.request.id': String(request.id) };
  if (typeof params?.name === 'string') {
    if (request.method === 'tools/call') {
      attributes['gen_ai.tool.name'] = params.name;
      attributes['gen_ai.operation.name'] = 'execute_tool';
    } else if (request.method === 'prompts/get') {
      attributes['gen_ai.prompt.name'] = params.name;
    }
  }
  if (typeof params?.uri === 'string') attributes['mcp.resource.uri'] = params.uri;
  return attributes;
}

function observationType(method: string): LangfuseObservationType {
  if (method === 'tools/call') return 'tool';
  if (method === 'sampling/createMessage') return 'generation';
  return 'span';
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
    // A refusal is the gateway's own answer (auth, rate limit): HTTP status set, or their codes on stdio.
    const refused = ctx.http !== undefined || code === ErrorCode.unauthorized || code === ErrorCode.rateLimited;
    return { name: refused ? 'refused' : 'error', failed: true, reason: message, errorType: String(code) };
  }
  const result = response.result as { isError?: unknown; content?: unknown } | undefined;
  if (result?.isError === true) return { name: 'tool_error', failed: true, reason: firstText(result.content) ?? 'the tool reported an error', errorType: 'tool_error' };
  return { name: 'ok', failed: false };
}

function levelOf(outcome: Outcome): ObservationLevel {
  if (outcome.failed) return 'ERROR';
  return outcome.name === 'cancelled' ? 'WARNING' : 'DEFAULT';
}

/** The first text block of a tool result: the tool's own words for what went wrong. */
function firstText(content: unknown): string | undefined {
  if (!Array.isArray(content)) return undefined;
  const block = content.find((item): item is { type: 'text'; text: string } => (item as { type?: unknown })?.type === 'text' && typeof (item as { text?: unknown }).text === 'string');
  return block === undefined ? undefined : block.text.slice(0, 500);
}
