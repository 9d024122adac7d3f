import { ErrorCode, refuse, targetOf, type Caller, type Ctx, type JSONRPCResponse, type Middleware } from '../gateway/index.js';
import type { Logger } from '../log.js';
import { bearerChallenge } from './challenge.js';

type ScopeMap = Readonly<Record<string, readonly string[]>>;

export interface AuthOptions {
  logger: Logger;
  /** tool name → scopes, any one of which allows calling it (auth.tools in mcpctl.json). */
  tools?: ScopeMap;
  /** resource URI → scopes, any one of which allows reading it. */
  resources?: ScopeMap;
  /** prompt name → scopes, any one of which allows getting it. */
  prompts?: ScopeMap;
  /** RFC 9728 metadata URL, named in HTTP challenges so a client can step up its scopes. */
  resourceMetadataUrl?: string;
  /** Clock skew allowed when enforcing a caller's token expiry (a long stdio session ends with its token). */
  clockToleranceMs?: number;
}

/** The three kinds of things a caller may be allowed to use, each with its catch-all scope. */
const kinds = {
  tools: { all: 'tools:call', noun: 'tool' },
  resources: { all: 'resources:read', noun: 'resource' },
  prompts: { all: 'prompts:get', noun: 'prompt' },
} as const;
type Kind = keyof typeof kinds;

/** Characters a scope token may hold (RFC 6749 §3.3): a name with others is named in no challenge. */
const scopeToken = /^[\x21\x23-\x5B\x5D-\x7E]+$/;

/**
 * Authorization by scope: a tool may be called with `tools:call`, `tools:<name>` or a scope that auth.tools
 * lists for it; likewise `resources:read` and `prompts:get`. Lists show only what the caller may use; a request
 * outside the caller's scopes is refused before it reaches the server (HTTP 403 insufficient_scope) and logged.
 * Also refuses callers whose token has expired since the session began.
 */
export function auth(options: AuthOptions): Middleware {
  const { logger } = options;
  // Maps, not the config's objects: a client names the tool, and "constructor" or "__proto__" must find nothing.
  const extra: Record<Kind, ReadonlyMap<string, readonly string[]>> = { tools: scopeLists(options.tools), resources: scopeLists(options.resources), prompts: scopeLists(options.prompts) };
  const toleranceMs = options.clockToleranceMs ?? 0;

  const may = (caller: Caller, kind: Kind, name: string | undefined): boolean => {
    const scopes = caller.scopes;
    if (scopes.has(kinds[kind].all)) return true;
    if (name === undefined) return false;
    if (scopes.has(`${kind}:${name}`)) return true;
    const listed = extra[kind].get(name);
    return listed !== undefined && listed.some((scope) => scopes.has(scope));
  };

  const refuseScope = (ctx: Ctx, kind: Kind, name: string | undefined): void => {
    const needed = name === undefined ? kinds[kind].all : `${kind}:${name}`;
    logger.warn('authorization failure', { caller: ctx.caller.sub, method: ctx.message.method, target: name, needs: needed });
    const what = name === undefined ? `this ${kinds[kind].noun} request` : `${kinds[kind].noun} "${name}"`;
    const http =
      ctx.session.front === 'http'
        ? {
            status: 403,
            headers: {
              'www-authenticate': bearerChallenge({
                error: 'insufficient_scope',
                scope: scopeToken.test(needed) ? needed : undefined,
                resource_metadata: options.resourceMetadataUrl,
              }),
            },
          }
        : undefined;
    refuse(ctx, ErrorCode.unauthorized, `Forbidden: ${what} needs the scope ${needed} (or ${kinds[kind].all})`, { scope: needed }, http);
  };

  /** Runs the request if the caller may use `name`, else refuses it. */
  const guarded = (ctx: Ctx, next: () => Promise<void>, kind: Kind, name: string | undefined): Promise<void> => {
    if (may(ctx.caller, kind, name)) return next();
    refuseScope(ctx, kind, name);
    return Promise.resolve();
  };

  /** Runs a list request, then keeps only the entries the caller may use. */
  const filtered = async (ctx: Ctx, next: () => Promise<void>, kind: Kind, field: string, nameOf: (entry: Record<string, unknown>) => unknown): Promise<void> => {
    await next();
    if (ctx.caller.scopes.has(kinds[kind].all)) return;
    ctx.response = filterList(ctx.response, field, (entry) => {
      const name = nameOf(entry);
      return typeof name === 'string' && may(ctx.caller, kind, name);
    });
  };

  return async (ctx, next) => {
    // Server-initiated requests (sampling, elicitation) and notifications carry no caller intent to check.
    if (ctx.direction === 'out' || !('id' in ctx.message)) return next();
    const caller = ctx.caller;
    if (!caller.authenticated || (caller.expiresAt !== undefined && Date.now() >= caller.expiresAt + toleranceMs)) {
      const reason = caller.authenticated ? 'the token has expired' : 'the caller is not authenticated';
      logger.warn('authentication failed', { caller: caller.sub, method: ctx.message.method, reason });
      const http = ctx.session.front === 'http' ? { status: 401, headers: { 'www-authenticate': bearerChallenge({ error: 'invalid_token', error_description: reason, resource_metadata: options.resourceMetadataUrl }) } } : undefined;
      refuse(ctx, ErrorCode.unauthorized, `Unauthorized: ${reason}${ctx.session.front === 'stdio' ? ' (restart the server with a fresh MCPCTL_TOKEN)' : ''}`, undefined, http);
      return;
    }
    const message = ctx.message;
    switch (message.method) {
      case 'tools/call':
        return guarded(ctx, next, 'tools', targetOf(message));
      case 'resources/read':
      case 'resources/subscribe':
      case 'resources/unsubscribe':
        return guarded(ctx, next, 'resources', targetOf(message));
      case 'prompts/get':
        return guarded(ctx, next, 'prompts', targetOf(message));
      case 'completion/complete': {
        const ref = (message.params as { ref?: { type?: unknown; name?: unknown; uri?: unknown } } | undefined)?.ref;
        if (ref?.type === 'ref/prompt') return guarded(ctx, next, 'prompts', typeof ref.name === 'string' ? ref.name : undefined);
        // A template's completions reveal what it can address: only for those who may read any resource.
        return guarded(ctx, next, 'resources', undefined);
      }
      case 'tools/list':
        return filtered(ctx, next, 'tools', 'tools', (tool) => tool.name);
      case 'prompts/list':
        return filtered(ctx, next, 'prompts', 'prompts', (prompt) => prompt.name);
      case 'resources/list':
        return filtered(ctx, next, 'resources', 'resources', (resource) => resource.uri);
      case 'resources/templates/list':
        // A template addresses many URIs: shown only to callers who may read any resource.
        return filtered(ctx, next, 'resources', 'resourceTemplates', () => undefined);
      default:
        return next();
    }
  };
}

function scopeLists(map: ScopeMap | undefined): ReadonlyMap<string, readonly string[]> {
  return new Map(Object.entries(map ?? {}));
}

/** A copy of a list answer holding only the entries `keep` accepts; errors and odd shapes pass unchanged. */
function filterList(response: JSONRPCResponse | undefined, field: string, keep: (entry: Record<string, unknown>) => boolean): JSONRPCResponse | undefined {
  if (response === undefined || !('result' in response)) return response;
  const result = response.result as Record<string, unknown> | null;
  const entries = result?.[field];
  if (!Array.isArray(entries)) return response;
  return { ...response, result: { ...result, [field]: entries.filter((entry) => typeof entry === 'object' && entry !== null && keep(entry as Record<string, unknown>)) } } as JSONRPCResponse;
}
