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
 * A cheap structural check of one parsed JSON value: the gateway's hot path must not pay for a full schema
 * parse, since the server behind it validates params itself. Returns a reason when the value is no message.
 */
export function checkMessage(value: unknown): string | undefined {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return 'a JSON-RPC message must be an object';
  const message = value as Record<string, unknown>;
  if (message.jsonrpc !== '2.0') return 'missing "jsonrpc": "2.0"';
  const hasId = 'id' in message;
  if (hasId && typeof message.id !== 'string' && typeof message.id !== 'number') return '"id" must be a string or a number';
  if ('method' in message) {
    if (typeof message.method !== 'string') return '"method" must be a string';
    if ('params' in message && (typeof message.params !== 'object' || message.params === null)) return '"params" must be an object';
    return undefined;
  }
  if (!hasId) return 'a message needs a "method" or an "id"';
  if (!('result' in message) && !('error' in message)) return 'a response needs a "result" or an "error"';
  return undefined;
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
