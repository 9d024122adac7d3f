import type { Ctx, HttpAnswer, JSONRPCMessage, JSONRPCNotification, JSONRPCRequest, JSONRPCResponse, RequestId } from './types.js';

/** JSON-RPC and MCP error codes the gateway answers with. */
export const ErrorCode = {
  parseError: -32700,
  invalidRequest: -32600,
  methodNotFound: -32601,
  invalidParams: -32602,
  internalError: -32603,
  /** Server-defined range: the back (server process) is gone or not answering. */
  backUnavailable: -32000,
  /** The answer did not come within the request's deadline (the SDK's own RequestTimeout code). */
  requestTimeout: -32001,
  /**
   * Refused by auth (no, bad or expired token; a scope missing). In the band MCP leaves to implementations
   * (-32000..-32019; the specification allocates -32020..-32099), and used there by neither the TypeScript SDK
   * (-32000 connection closed, -32001 request timeout) nor the Go SDK (-32001, -32003..-32007), nor retired
   * by the specification (-32002). Not -32001: a client could not tell a refusal from its own timeout.
   */
  unauthorized: -32009,
  /** Over a rate limit: the HTTP status, as the rate-limit issue specifies. */
  rateLimited: 429,
  /** The shared rate-limit store is down and the policy is closed: the HTTP status, likewise. */
  storeUnavailable: 503,
} as const;

export function isRequest(message: JSONRPCMessage): message is JSONRPCRequest {
  return 'method' in message && 'id' in message;
}

export function isNotification(message: JSONRPCMessage): message is JSONRPCNotification {
  return 'method' in message && !('id' in message);
}

export function isResponse(message: JSONRPCMessage): message is JSONRPCResponse {
  return !('method' in message) && ('result' in message || 'error' in message);
}

export function errorResponse(id: RequestId | null, code: number, message: string, data?: unknown): JSONRPCResponse {
  const error = data === undefined ? { code, message } : { code, message, data };
  return { jsonrpc: '2.0', id, error } as JSONRPCResponse;
}

/** Answers the request in `ctx` with an error instead of passing it on; `http` sets the HTTP status to use. */
export function refuse(ctx: Ctx, code: number, message: string, data?: unknown, http?: HttpAnswer): void {
  if (!('id' in ctx.message)) return;
  ctx.response = errorResponse(ctx.message.id, code, message, data);
  ctx.http = http;
  ctx.refused = true;
}

/**
 * A cheap structural check of one parsed JSON value, per JSON-RPC 2.0 and MCP's schema for the envelope: the
 * gateway's hot path must not pay for a full schema parse, since the server behind it validates params itself.
 * Returns a reason when the value is no message the SDK would accept (which it would drop without an answer).
 */
export function checkMessage(value: unknown): string | undefined {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return 'a JSON-RPC message must be an object';
  const message = value as Record<string, unknown>;
  if (message.jsonrpc !== '2.0') return 'missing "jsonrpc": "2.0"';
  const hasId = 'id' in message;
  if (hasId && !isRequestId(message.id)) return '"id" must be a string or an integer';
  if ('method' in message) {
    if (typeof message.method !== 'string') return '"method" must be a string';
    if ('params' in message && !isObject(message.params)) return '"params" must be an object';
    return undefined;
  }
  if (!hasId) return 'a message needs a "method" or an "id"';
  if ('result' in message) return isObject(message.result) ? undefined : '"result" must be an object';
  if (!('error' in message)) return 'a response needs a "result" or an "error"';
  const error = message.error as { code?: unknown; message?: unknown } | null;
  if (!isObject(error) || !Number.isInteger(error.code) || typeof error.message !== 'string') return '"error" must be an object with an integer "code" and a string "message"';
  return undefined;
}

/** The id to answer an invalid message with: its own when that is a valid id, else null (as JSON-RPC says). */
export function answerableId(value: unknown): RequestId | null {
  const id = (value as { id?: unknown } | null)?.id;
  return isRequestId(id) ? id : null;
}

/**
 * For an invalid message that is an answer (no method) to a request with a valid id: the error the asking side
 * gets in its place, now rather than at its deadline. Undefined for anything else.
 */
export function errorInPlaceOf(value: unknown, problem: string, from: 'client' | 'server'): JSONRPCResponse | undefined {
  if (typeof value !== 'object' || value === null || 'method' in value) return undefined;
  const id = answerableId(value);
  return id === null ? undefined : errorResponse(id, ErrorCode.internalError, `the ${from}'s answer is not valid JSON-RPC: ${problem}`);
}

function isRequestId(id: unknown): id is RequestId {
  return typeof id === 'string' || Number.isInteger(id);
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * The top-level id of a message too large to parse, from its first and last bytes: SDK v1 servers write it
 * last (`…,"jsonrpc":"2.0","id":7}`), most others first (`{"jsonrpc":"2.0","id":7,…`). Undefined when neither
 * end shows it plainly.
 */
export function idInMessageEnds(head: string, tail: string): RequestId | undefined {
  const id = /^\s*\{\s*"jsonrpc"\s*:\s*"2\.0"\s*,\s*"id"\s*:\s*(-?\d+|"(?:[^"\\]|\\.)*")/.exec(head)?.[1] ?? /[,{]\s*"id"\s*:\s*(-?\d+|"(?:[^"\\]|\\.)*")\s*\}\s*$/.exec(tail)?.[1];
  if (id === undefined) return undefined;
  const parsed = JSON.parse(id) as RequestId;
  return isRequestId(parsed) ? parsed : undefined;
}

/** The name a request acts on: the tool, prompt or resource URI, for logs, traces, scopes and limits. */
export function targetOf(message: JSONRPCRequest | JSONRPCNotification): string | undefined {
  const params = message.params as Record<string, unknown> | undefined;
  if (!params) return undefined;
  switch (message.method) {
    case 'tools/call':
    case 'prompts/get':
      return typeof params.name === 'string' ? params.name : undefined;
    case 'resources/read':
    case 'resources/subscribe':
    case 'resources/unsubscribe':
      return typeof params.uri === 'string' ? params.uri : undefined;
    default:
      return undefined;
  }
}
