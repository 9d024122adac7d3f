import { settleWithin } from '../../settle-within.js';
import type { Chain } from '../compose.js';
import type { Feature, GatewayState, RefusedRequest, Route } from '../index.js';
import { ErrorCode } from '../jsonrpc.js';
import { unref } from '../timers.js';
import type { Caller, HttpAuthenticator, HttpRefusal } from '../types.js';
import { errorAnswer, jsonAnswer, toResponse, withHeaders, type Answer } from './answer.js';
import { readLimited } from './body.js';
import { McpEndpoint, type CoreRequest, type EndpointOptions } from './endpoint.js';
import { RequestGuards } from './guards.js';

export type { CoreRequest } from './endpoint.js';

export interface WebFrontOptions extends EndpointOptions {
  /** The address the server listens on: bound to loopback, only loopback Host names and Origins are let in. */
  host: string;
  /** The MCP endpoint's path, e.g. /mcp. */
  path: string;
  allowOrigins: readonly string[];
  allowHosts: readonly string[];
}

/** What the runtime knows of a request besides the Request itself. */
export interface RequestInfo {
  readonly remoteAddress: string | undefined;
  /** performance.now() when the request arrived (by default, when the core is handed it). */
  readonly receivedAt?: number;
  /** How many Authorization headers came, when the runtime can tell (Web Headers join them into one value). */
  readonly authorizationHeaders?: number;
}

/** Protocol versions a client may name in MCP-Protocol-Version. */
const supportedVersions = new Set(['2025-11-25', '2025-06-18', '2025-03-26', '2024-11-05']);

const corsAllowHeaders = 'content-type, authorization, mcp-session-id, mcp-protocol-version, last-event-id';
const corsExposeHeaders = 'mcp-session-id, www-authenticate, retry-after, ratelimit, ratelimit-policy';
const preflight: Answer = { status: 204, headers: { 'access-control-allow-methods': 'GET, POST, DELETE, OPTIONS', 'access-control-allow-headers': corsAllowHeaders, 'access-control-max-age': '600' }, body: undefined };
const noScopes: ReadonlySet<string> = new Set();

/**
 * The Streamable HTTP front as Web standards have it, `(Request) → Response`, for any runtime: no node: module
 * here (test/architecture checks it). Before any message of a request is read, its request stage runs in order:
 * Host and Origin guards, CORS preflight, the features' routes, the endpoint's path, shutdown, the method, the
 * protocol version, authentication; then the endpoint's POST, GET or DELETE.
 */
export class WebFront {
  private readonly guards: RequestGuards;
  private readonly endpoint: McpEndpoint;
  /** Requests being answered, and POSTs whose calls go on after their answer started streaming. */
  private readonly inFlight = new Set<Promise<unknown>>();
  private auth: HttpAuthenticator | undefined;
  private refusalObservers: NonNullable<Feature['onRefusal']>[] = [];
  private routes = new Map<string, Route>();
  private started = false;
  private ready!: () => void;
  private readonly isReady: Promise<void>;
  private stopping = false;
  private reaper: ReturnType<typeof setInterval> | undefined;

  constructor(private readonly options: WebFrontOptions) {
    this.guards = new RequestGuards(options.host, options.allowHosts, options.allowOrigins);
    this.endpoint = new McpEndpoint(options, (work) => this.track(work));
    this.isReady = new Promise((resolve) => (this.ready = resolve));
  }

  /** Starts answering requests (those that arrived before wait for this), with the features' hooks and routes. */
  start(chain: Chain, features: readonly Feature[]): void {
    this.endpoint.start(chain);
    this.auth = features.find((feature) => feature.authenticator !== undefined)?.authenticator;
    this.refusalObservers = features.flatMap((feature) => (feature.onRefusal ? [feature.onRefusal] : []));
    this.routes = new Map(features.flatMap((feature) => [...(feature.routes ?? [])]));
    const idleMs = this.options.idleSessionMs;
    this.reaper = setInterval(() => this.endpoint.sessions.reapIdle(), Math.max(10, Math.min(idleMs, 60_000)));
    unref(this.reaper);
    this.started = true;
    this.ready();
  }

  /** Answers a Web Request; its body is read as a stream, no more than --max-body of it. */
  handle(request: Request, info: RequestInfo = { remoteAddress: undefined }): Promise<Response> {
    const limit = this.options.maxBodyBytes;
    const core: CoreRequest = { method: request.method, url: request.url, headers: request.headers, signal: request.signal, text: () => readLimited(request.body, limit) };
    return this.answer(core, info).then(toResponse);
  }

  /** The answer to a request as data: what `handle` makes a Response of, and what a runtime adapter may write itself. */
  answer(request: CoreRequest, info: RequestInfo): Promise<Answer> {
    const work = this.respond(request, info, info.receivedAt ?? performance.now());
    this.track(work);
    return work;
  }

  /** Stops taking requests, lets those in flight finish within `graceMs`, then closes every session. */
  async stop(graceMs: number): Promise<void> {
    this.stopping = true;
    clearInterval(this.reaper);
    this.endpoint.endStreams();
    await settleWithin([...this.inFlight], graceMs);
    await this.endpoint.close('the server is shutting down');
  }

  /** What routes that report on the front (health, readiness) see. */
  state(): GatewayState {
    const { sessions } = this.endpoint;
    return { sessions: sessions.size, maxSessions: this.options.maxSessions, saturated: sessions.saturated, stopping: this.stopping };
  }

  private track(work: Promise<unknown>): void {
    this.inFlight.add(work);
    void work.finally(() => this.inFlight.delete(work));
  }

  /** The request stage, in order; CORS headers go on every answer to an allowed Origin. */
  private async respond(request: CoreRequest, info: RequestInfo, receivedAt: number): Promise<Answer> {
    try {
      const { headers } = request;
      const hostProblem = this.guards.checkHost(headers.get('host'));
      if (hostProblem) return errorAnswer(403, ErrorCode.invalidRequest, hostProblem);
      const origin = this.guards.checkOrigin(headers.get('origin'));
      if (origin === false) return errorAnswer(403, ErrorCode.invalidRequest, `Origin "${headers.get('origin')}" is not allowed (add it with --allow-origin)`);
      const answer = await this.afterGuards(request, info, receivedAt);
      return origin === undefined ? answer : withHeaders(answer, { 'access-control-allow-origin': origin, 'access-control-expose-headers': corsExposeHeaders, vary: 'Origin' });
    } catch (error) {
      this.options.logger.error(`request failed: ${(error as Error).message}`);
      return errorAnswer(500, ErrorCode.internalError, 'internal gateway error');
    }
  }

  private async afterGuards(request: CoreRequest, info: RequestInfo, receivedAt: number): Promise<Answer> {
    const { method } = request;
    if (method === 'OPTIONS') return preflight;
    if (!this.started) await this.isReady;
    const path = pathOf(request.url);
    const route = method === 'GET' ? this.routes.get(path) : undefined;
    if (route !== undefined) {
      const answer = route(this.state());
      return jsonAnswer(answer.status, answer.body, answer.headers);
    }
    if (path !== this.options.path) return errorAnswer(404, ErrorCode.invalidRequest, `no MCP endpoint at ${path}; it is at ${this.options.path}`);
    if (this.stopping) {
      this.options.logger.warn('refused a request (HTTP 503): the server is shutting down');
      return errorAnswer(503, ErrorCode.backUnavailable, 'the server is shutting down');
    }
    if (method !== 'POST' && method !== 'GET' && method !== 'DELETE') return errorAnswer(405, ErrorCode.invalidRequest, `method ${method} is not allowed`, null, { allow: 'GET, POST, DELETE' });
    const version = request.headers.get('mcp-protocol-version');
    if (version !== null && !supportedVersions.has(version)) {
      return errorAnswer(400, ErrorCode.invalidRequest, `unsupported MCP-Protocol-Version ${version} (supported: ${[...supportedVersions].join(', ')})`);
    }
    const caller = this.auth ? await this.authenticate(this.auth, request.headers, info, receivedAt) : { sub: info.remoteAddress ?? 'unknown', authenticated: false, scopes: noScopes };
    if ('refused' in caller) return { status: caller.status, headers: caller.headers, body: caller.body };
    // `return await`: one tick where returning the promise would take three.
    if (method === 'POST') return await this.endpoint.post(request, caller, info.remoteAddress);
    if (method === 'GET') return this.endpoint.get(request, caller);
    return await this.endpoint.delete(request, caller);
  }

  /** The caller, or the refusal to answer with (which the features observing refusals are told of). */
  private async authenticate(auth: HttpAuthenticator, headers: Headers, info: RequestInfo, receivedAt: number): Promise<Caller | HttpRefusal> {
    const outcome = await auth.authenticate(headers, info.remoteAddress, info.authorizationHeaders);
    if ('refused' in outcome) {
      const refused: RefusedRequest = { headers, remoteAddress: info.remoteAddress, receivedAt };
      for (const observe of this.refusalObservers) observe(outcome, refused);
    }
    return outcome;
  }
}

/** The path of an absolute URL as it was sent: no query, no fragment, dot segments left as they are. */
function pathOf(url: string): string {
  const scheme = url.indexOf('://');
  const start = url.indexOf('/', scheme === -1 ? 0 : scheme + 3);
  if (start === -1) return '/';
  const query = url.indexOf('?', start);
  const fragment = url.indexOf('#', start);
  const end = Math.min(query === -1 ? url.length : query, fragment === -1 ? url.length : fragment);
  return url.slice(start, end);
}
