import type {
  JSONRPCMessage,
  JSONRPCNotification,
  JSONRPCRequest,
  JSONRPCResponse,
  RequestId,
} from '@modelcontextprotocol/sdk/types.js';

export type { JSONRPCMessage, JSONRPCNotification, JSONRPCRequest, JSONRPCResponse, RequestId };

/** Who sent a request, as the front established it (a verified JWT on HTTP, MCPCTL_TOKEN on stdio). */
export interface Caller {
  /** The JWT `sub`; with auth off, the client's address (HTTP) or "stdio". */
  readonly sub: string;
  /** True when `sub` and `scopes` come from a verified token. */
  readonly authenticated: boolean;
  readonly scopes: ReadonlySet<string>;
  /** Verified claims, for middlewares that need more than sub/scopes. Never the raw token. */
  readonly claims?: Readonly<Record<string, unknown>>;
  /** Token expiry (ms since epoch): a long stdio session must stop when its token does. */
  readonly expiresAt?: number;
}

export interface SessionInfo {
  /** The Mcp-Session-Id on HTTP, "stdio" on stdio, a fresh id per request when stateless. */
  readonly id: string;
  readonly front: 'stdio' | 'http';
  /** The peer address on HTTP. */
  readonly remoteAddress?: string;
}

/** "in": client → server (the front received it); "out": server → client (the back sent it). */
export type Direction = 'in' | 'out';

/** How the HTTP front should answer when a middleware refuses the whole request (401/403/429…). */
export interface HttpAnswer {
  status: number;
  headers?: Record<string, string>;
}

/**
 * The context a middleware sees for one JSON-RPC request or notification travelling through the gateway.
 * Responses are not messages of their own here: they arrive as `ctx.response` after `await next()`.
 */
export interface Ctx {
  readonly direction: Direction;
  /** The message; a middleware may replace it with an amended copy (e.g. to add `_meta`) before `next()`. */
  message: JSONRPCRequest | JSONRPCNotification;
  readonly session: SessionInfo;
  readonly caller: Caller;
  /** Request headers of the HTTP request that carried an "in" message (for traceparent and the like). */
  readonly headers: Headers | undefined;
  /** performance.now() when the gateway received the message. */
  readonly receivedAt: number;
  /**
   * The answer to a request: set by the back (after `await next()`), or by a middleware that answers early
   * (then it does not call `next`). A middleware may replace it to rewrite the answer. Undefined for
   * notifications, and for requests the client cancelled.
   */
  response: JSONRPCResponse | undefined;
  /** Set with an early error answer to make the HTTP front use this status and headers. */
  http: HttpAnswer | undefined;
  /** True when a middleware refused the request (auth, rate limit) rather than the server answering it. */
  refused: boolean;
  /** Per-message scratch space shared between middlewares (e.g. a span to end). */
  readonly state: Map<string | symbol, unknown>;
}

export type Next = () => Promise<void>;
export type Middleware = (ctx: Ctx, next: Next) => Promise<void>;

/** The HTTP front's view of auth: who is calling, decided from the request's headers before any message is read. */
export interface HttpAuthenticator {
  /**
   * Verifies the request's credentials. Resolves to the caller, or to a refusal the front sends as it is
   * (401 with WWW-Authenticate, 400, 431…). Must not throw for bad input. Web Headers join a header sent twice
   * into one value ("a, b"): `authorizationHeaders` is how many Authorization headers came, when the runtime's
   * adapter can tell.
   */
  authenticate(headers: Headers, remoteAddress: string | undefined, authorizationHeaders?: number): Promise<Caller | HttpRefusal>;
}

export interface HttpRefusal {
  readonly refused: true;
  readonly status: number;
  readonly headers: Record<string, string>;
  readonly body: string;
  /** Why, in words (what the body's JSON-RPC error says), for logs and traces. */
  readonly reason: string;
}
