import { ErrorCode } from '../gateway/jsonrpc.js';
import { httpBodyErrorOf, httpStatusOf, rpcErrorOf } from './server-error.js';

/** Why a server turned a request away: over a rate limit, out of capacity, or not for these credentials. */
export type RefusalKind = 'rate-limited' | 'overloaded' | 'auth';

export interface Refusal {
  kind: RefusalKind;
  /** The HTTP status it came with; undefined for a JSON-RPC error (stdio, or a batch). */
  status: number | undefined;
  /** How it came, for people: "HTTP 429", or "error 429" for a JSON-RPC error. */
  how: string;
  /** The server's own words, when it gave any. */
  message: string | undefined;
  /** How long the server asks the client to wait before trying again. */
  retryAfterMs: number | undefined;
  /** The scope an auth refusal names as missing. */
  scope: string | undefined;
}

const kindsByStatus: Record<number, RefusalKind> = { 401: 'auth', 403: 'auth', 429: 'rate-limited', 503: 'overloaded' };
const kindsByCode: Record<number, RefusalKind> = { [ErrorCode.unauthorized]: 'auth', [ErrorCode.rateLimited]: 'rate-limited', [ErrorCode.storeUnavailable]: 'overloaded' };

/**
 * The refusal this error is, if it is one: HTTP 401/403/429/503 (whatever JSON-RPC code the body holds: a full
 * session pool answers 503 with -32000), or a JSON-RPC error with the codes mcpctl's gateway refuses with.
 */
export function refusalOf(error: unknown): Refusal | undefined {
  const status = httpStatusOf(error);
  if (status !== undefined) {
    const kind = kindsByStatus[status];
    return kind && describe(kind, status, `HTTP ${status}`, httpBodyErrorOf(error));
  }
  // The SDK's own OAuth flow gives up with this error when a server keeps answering 401.
  if (error instanceof Error && error.constructor.name === 'UnauthorizedError') return describe('auth', 401, 'HTTP 401', undefined);
  const rpc = rpcErrorOf(error);
  const kind = rpc && kindsByCode[rpc.code];
  return kind && describe(kind, undefined, `error ${rpc.code}`, rpc);
}

function describe(kind: RefusalKind, status: number | undefined, how: string, body: { message?: string; data?: unknown } | undefined): Refusal {
  const data = (typeof body?.data === 'object' && body.data !== null ? body.data : {}) as { retryAfterSeconds?: unknown; scope?: unknown };
  const hinted = /retry after (\d+(?:\.\d+)?)\s*s\b/i.exec(body?.message ?? '')?.[1];
  const seconds = typeof data.retryAfterSeconds === 'number' ? data.retryAfterSeconds : hinted === undefined ? undefined : Number(hinted);
  return {
    kind,
    status,
    how,
    message: body?.message,
    retryAfterMs: seconds === undefined ? undefined : Math.round(seconds * 1000),
    // Rate limits name a scope too (caller, tool, store): a budget's, not a token's.
    scope: kind === 'auth' && typeof data.scope === 'string' ? data.scope : undefined,
  };
}
