/**
 * The gateway's contract: everything a feature (auth, rate limits, tracing, recording, health…) may know of the
 * core. A feature folder imports from this file and nothing else under src/gateway/ (test/architecture checks it).
 */
import type { Logger } from '../log.js';
import type { Caller, HttpAuthenticator, HttpRefusal, Middleware } from './types.js';

/** An HTTP request the request stage refused before any of its messages was read. */
export interface RefusedRequest {
  readonly headers: Headers;
  readonly remoteAddress: string | undefined;
  /** performance.now() when the request arrived. */
  readonly receivedAt: number;
}

export type {
  Caller,
  Ctx,
  Direction,
  HttpAnswer,
  HttpAuthenticator,
  HttpRefusal,
  JSONRPCMessage,
  JSONRPCNotification,
  JSONRPCRequest,
  JSONRPCResponse,
  Middleware,
  Next,
  RequestId,
  SessionInfo,
} from './types.js';
export { ErrorCode, errorResponse, isNotification, isRequest, isResponse, refuse, targetOf } from './jsonrpc.js';
export { traceIdKey } from './middleware/log.js';
export { relatedKey } from './session.js';

/** Where a feature's middleware runs in the chain: lower runs first (outside), so it sees what later ones do. */
export const ChainPosition = {
  /** Tracing: sees refusals by auth and limits too. */
  trace: 100,
  /** Auth: decides who calls, before anything counts the call. */
  auth: 200,
  /** Rate limits: know the caller. */
  rateLimit: 300,
  /** Recording: what reached the server, and its answer. */
  record: 400,
} as const;

/** What the HTTP front knows of itself, for routes that report on it (health, readiness). */
export interface GatewayState {
  /** Open sessions, and at most how many. */
  readonly sessions: number;
  readonly maxSessions: number;
  /** The pool is full and no session in it could be closed to let another in. */
  readonly saturated: boolean;
  /** Shutting down: no new requests are taken. */
  readonly stopping: boolean;
}

/** A GET route's answer: a JSON body. */
export interface RouteAnswer {
  readonly status: number;
  readonly body: unknown;
  readonly headers?: Readonly<Record<string, string>>;
}

export type Route = (state: GatewayState) => RouteAnswer;

/** What a feature is given to build itself, besides its own config. */
export interface FeatureEnvironment {
  readonly front: 'stdio' | 'http';
  /** The server's own resource URL on HTTP, e.g. http://127.0.0.1:8080/mcp (the default token audience). */
  readonly resourceUrl: string | undefined;
  readonly logger: Logger;
  readonly cwd: string;
  readonly env: Readonly<Record<string, string | undefined>>;
  /** Key fragments whose values are masked wherever payloads leave the gateway (spans, record files). */
  readonly redact: readonly string[];
}

/**
 * A feature: one folder that adds to the gateway through these members alone. The assembly (src/serve/) builds
 * the list from config; the gateway runs the middlewares in `position` order, and the request stage (before any
 * message of an HTTP request is read) calls the hooks and serves the routes.
 */
export interface Feature {
  /** One line for the start-up banner, e.g. "rate limits 60/min per caller (in memory)". */
  readonly description: string;
  /** Where the middleware runs (ChainPosition). */
  readonly position: number;
  readonly middleware?: Middleware;
  /** HTTP, before any message is read: who is calling, or the refusal to send. At most one feature has it. */
  readonly authenticator?: HttpAuthenticator;
  /** HTTP: told of each request the request stage refused before the chain (a 401), to trace or count it. */
  readonly onRefusal?: (refusal: HttpRefusal, request: RefusedRequest) => void;
  /** HTTP GET routes beside the MCP endpoint, path → answer (RFC 9728 metadata, /healthz, /readyz). */
  readonly routes?: ReadonlyMap<string, Route>;
  /** stdio: the one caller, established at start (MCPCTL_TOKEN). */
  readonly stdioCaller?: Caller;
  /** On shutdown, after calls in flight are done: flush spans, close Redis, close files. */
  close?(): Promise<void>;
}
