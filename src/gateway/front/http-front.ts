import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { UserError } from '../../errors.js';
import type { Logger } from '../../log.js';
import { Multiplexer } from '../back/multiplexer.js';
import type { Back, BackConnection } from '../back/types.js';
import type { Chain } from '../compose.js';
import type { MessageLimits } from '../bounds.js';
import { ErrorCode, answerableId, checkMessage, errorInPlaceOf, errorResponse, isRequest } from '../jsonrpc.js';
import { GatewaySession } from '../session.js';
import type { Feature, GatewayState, RefusedRequest, Route } from '../index.js';
import type { Caller, Ctx, HttpAuthenticator, JSONRPCMessage, SessionInfo } from '../types.js';
import { PostExchange } from './http-exchange.js';
import { HttpSession } from './http-session.js';
import { RequestGuards } from './http-guards.js';
import { BodyTooLarge, readBody } from './read-body.js';
import { SessionPool } from './session-pool.js';
import { settleWithin } from '../../settle-within.js';

export interface HttpFrontOptions {
  back: Back;
  logger: Logger;
  host: string;
  port: number;
  path: string;
  stateless: boolean;
  maxBodyBytes: number;
  maxSessions: number;
  maxSessionsPerCaller: number;
  allowOrigins: readonly string[];
  allowHosts: readonly string[];
  /** Sessions with no request for this long are closed (their children stopped). */
  idleSessionMs: number;
  /** A request's head and body must have arrived within this long. */
  bodyTimeoutMs: number;
  limits: MessageLimits;
  /** How much an SSE stream may hold unread before it is dropped. */
  maxBufferedBytes: number;
}

/** Protocol versions that allow JSON-RPC batches: 2025-06-18 removed them. */
const batchingVersions = new Set(['2025-03-26', '2024-11-05']);

/** Protocol versions a client may name in MCP-Protocol-Version. */
const supportedVersions = new Set(['2025-11-25', '2025-06-18', '2025-03-26', '2024-11-05']);

const corsAllowHeaders = 'content-type, authorization, mcp-session-id, mcp-protocol-version, last-event-id';
const corsExposeHeaders = 'mcp-session-id, www-authenticate, retry-after, ratelimit, ratelimit-policy';

/**
 * The Streamable HTTP front (MCP 2025-11-25, accepting 2025-06-18 and 2025-03-26 clients) on node:http:
 * POST for messages, GET for the server's stream, DELETE to end a session, plus /healthz and auth metadata.
 */
export class HttpFront {
  readonly closed: Promise<void>;
  private readonly server: Server;
  private readonly guards: RequestGuards;
  private readonly sessions: SessionPool;
  private readonly inFlight = new Set<Promise<void>>();
  private chain: Chain | undefined;
  private auth: HttpAuthenticator | undefined;
  private refusalObservers: NonNullable<Feature['onRefusal']>[] = [];
  private routes = new Map<string, Route>();
  private ready!: () => void;
  private readonly isReady: Promise<void>;
  private resolveClosed!: () => void;
  private stopping = false;
  private reaper: NodeJS.Timeout | undefined;
  /** Stateless mode: every request shares one back connection. */
  private shared: Promise<Multiplexer> | undefined;

  constructor(private readonly options: HttpFrontOptions) {
    this.guards = new RequestGuards(options.host, options.allowHosts, options.allowOrigins);
    this.sessions = new SessionPool({ maxSessions: options.maxSessions, maxPerCaller: options.maxSessionsPerCaller, idleMs: options.idleSessionMs }, options.logger);
    this.isReady = new Promise((resolve) => (this.ready = resolve));
    this.closed = new Promise((resolve) => (this.resolveClosed = resolve));
    // A slow client gets --body-timeout for its whole request (head and body), checked every second, not the
    // 300 s Node allows by default.
    const timeouts = { requestTimeout: options.bodyTimeoutMs, headersTimeout: options.bodyTimeoutMs, connectionsCheckingInterval: 1000 };
    this.server = createServer({ keepAliveTimeout: 60_000, ...timeouts }, (req, res) => {
      const handled = this.handle(req, res).catch((error: unknown) => {
        this.options.logger.error(`request failed: ${(error as Error).message}`);
        if (!res.headersSent) sendError(res, 500, ErrorCode.internalError, 'internal gateway error');
        else res.end();
      });
      this.inFlight.add(handled);
      void handled.finally(() => this.inFlight.delete(handled));
    });
  }

  /** Binds the port; resolves to the endpoint URL (the server's resource URL). */
  listen(): Promise<string> {
    return new Promise((resolve, reject) => {
      this.server.once('error', (error: NodeJS.ErrnoException) => {
        const where = `${this.options.host}:${this.options.port}`;
        if (error.code === 'EADDRINUSE') reject(new UserError(`port ${this.options.port} is in use on ${this.options.host}`, { hint: 'pick another with --port, or 0 for a free one' }));
        else if (error.code === 'EACCES') reject(new UserError(`no permission to listen on ${where}`, { hint: 'ports below 1024 need privileges: use --port 8080' }));
        else reject(new UserError(`cannot listen on ${where}: ${error.message}`));
      });
      this.server.listen(this.options.port, this.options.host, () => {
        const { port } = this.server.address() as AddressInfo;
        const host = this.options.host.includes(':') ? `[${this.options.host}]` : this.options.host;
        resolve(`http://${host === '0.0.0.0' || host === '[::]' ? '127.0.0.1' : host}:${port}${this.options.path}`);
      });
    });
  }

  /** Starts answering requests (those that arrived since listen() waited for this), with the features' hooks and routes. */
  start(chain: Chain, features: readonly Feature[]): void {
    this.chain = chain;
    this.auth = features.find((feature) => feature.authenticator !== undefined)?.authenticator;
    this.refusalObservers = features.flatMap((feature) => (feature.onRefusal ? [feature.onRefusal] : []));
    this.routes = new Map(features.flatMap((feature) => [...(feature.routes ?? [])]));
    const idleMs = this.options.idleSessionMs;
    this.reaper = setInterval(() => this.sessions.reapIdle(), Math.max(10, Math.min(idleMs, 60_000)));
    this.reaper.unref();
    this.ready();
  }

  /** Stops accepting, lets requests in flight finish within `graceMs`, then closes every session. */
  async stop(graceMs: number): Promise<void> {
    this.stopping = true;
    clearInterval(this.reaper);
    this.server.close();
    this.server.closeIdleConnections();
    const streams = [...this.sessions.values()].map((session) => session.getStream).filter((stream) => stream !== undefined);
    for (const stream of streams) stream.end();
    await settleWithin([...this.inFlight], graceMs);
    await this.sessions.closeAll('the server is shutting down');
    await (await this.shared)?.close();
    this.server.closeAllConnections();
    this.resolveClosed();
  }

  /** What routes that report on the front (health, readiness) see. */
  private state(): GatewayState {
    return { sessions: this.sessions.size, maxSessions: this.options.maxSessions, saturated: this.sessions.saturated, stopping: this.stopping };
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const receivedAt = performance.now();
    const url = req.url ?? '/';
    const queryAt = url.indexOf('?');
    const path = queryAt === -1 ? url : url.slice(0, queryAt);
    const hostProblem = this.guards.checkHost(req);
    if (hostProblem) return sendError(res, 403, ErrorCode.invalidRequest, hostProblem);
    const origin = this.guards.checkOrigin(req);
    if (origin === false) return sendError(res, 403, ErrorCode.invalidRequest, `Origin "${req.headers.origin}" is not allowed (add it with --allow-origin)`);
    if (origin) {
      res.setHeader('access-control-allow-origin', origin);
      res.setHeader('access-control-expose-headers', corsExposeHeaders);
      res.setHeader('vary', 'Origin');
    }
    if (req.method === 'OPTIONS') {
      res.writeHead(204, { 'access-control-allow-methods': 'GET, POST, DELETE, OPTIONS', 'access-control-allow-headers': corsAllowHeaders, 'access-control-max-age': '600' });
      return void res.end();
    }
    await this.isReady;
    const route = req.method === 'GET' ? this.routes.get(path) : undefined;
    if (route !== undefined) {
      const answer = route(this.state());
      return sendJson(res, answer.status, answer.body, answer.headers);
    }
    if (path !== this.options.path) return sendError(res, 404, ErrorCode.invalidRequest, `no MCP endpoint at ${path}; it is at ${this.options.path}`);
    if (this.stopping) {
      this.options.logger.warn('refused a request (HTTP 503): the server is shutting down');
      return sendError(res, 503, ErrorCode.backUnavailable, 'the server is shutting down');
    }
    if (req.method !== 'POST' && req.method !== 'GET' && req.method !== 'DELETE') {
      res.setHeader('allow', 'GET, POST, DELETE');
      return sendError(res, 405, ErrorCode.invalidRequest, `method ${req.method} is not allowed`);
    }
    const version = req.headers['mcp-protocol-version'];
    if (typeof version === 'string' && !supportedVersions.has(version)) {
      return sendError(res, 400, ErrorCode.invalidRequest, `unsupported MCP-Protocol-Version ${version} (supported: ${[...supportedVersions].join(', ')})`);
    }
    const caller = await this.authenticate(req, res, receivedAt);
    if (caller === undefined) return;
    if (req.method === 'POST') return this.post(req, res, caller);
    if (req.method === 'GET') return this.get(req, res, caller);
    return this.delete(req, res, caller);
  }

  /** Resolves to the caller, or answers the refusal itself and resolves to undefined. */
  private async authenticate(req: IncomingMessage, res: ServerResponse, receivedAt: number): Promise<Caller | undefined> {
    const remoteAddress = req.socket.remoteAddress;
    if (!this.auth) return { sub: remoteAddress ?? 'unknown', authenticated: false, scopes: noScopes };
    const headers = webHeaders(req);
    const outcome = await this.auth.authenticate(headers, remoteAddress, countAuthorization(req.rawHeaders));
    if ('refused' in outcome) {
      const refused: RefusedRequest = { headers, remoteAddress, receivedAt };
      for (const observe of this.refusalObservers) observe(outcome, refused);
      closeIfUnread(res);
      res.writeHead(outcome.status, outcome.headers);
      res.end(outcome.body);
      return undefined;
    }
    return outcome;
  }

  private async post(req: IncomingMessage, res: ServerResponse, caller: Caller): Promise<void> {
    const contentType = req.headers['content-type'];
    if (!contentType?.includes('application/json')) return sendError(res, 415, ErrorCode.invalidRequest, 'Content-Type must be application/json');
    const accept = req.headers.accept ?? '';
    if (!accept.includes('*/*') && !(accept.includes('application/json') && accept.includes('text/event-stream'))) {
      return sendError(res, 406, ErrorCode.invalidRequest, 'Accept must list both application/json and text/event-stream');
    }
    let body: string;
    try {
      body = await readBody(req, this.options.maxBodyBytes);
    } catch (error) {
      if (error instanceof BodyTooLarge) {
        res.setHeader('connection', 'close');
        return sendError(res, 413, ErrorCode.invalidRequest, `request body is larger than ${this.options.maxBodyBytes} bytes (raise it with --max-body)`);
      }
      throw error;
    }
    let parsed: unknown;
    try {
      parsed = JSON.parse(body);
    } catch {
      return sendError(res, 400, ErrorCode.parseError, 'Parse error: the body is not valid JSON');
    }
    const batch = Array.isArray(parsed);
    const values: unknown[] = batch ? (parsed as unknown[]) : [parsed];
    if (values.length === 0) return sendError(res, 400, ErrorCode.invalidRequest, 'Invalid request: empty batch');
    const messages: JSONRPCMessage[] = [];
    for (const value of values) {
      const problem = checkMessage(value);
      // A client's invalid answer still settles the server's request it answers, with an error.
      const answer = problem === undefined ? undefined : errorInPlaceOf(value, problem, 'client');
      if (problem !== undefined && answer === undefined) return sendError(res, 400, ErrorCode.invalidRequest, `Invalid request: ${problem}`, answerableId(value));
      messages.push(answer ?? (value as JSONRPCMessage));
    }
    const ids = messages.filter(isRequest).map((message) => message.id);
    if (new Set(ids).size < ids.length) return sendError(res, 400, ErrorCode.invalidRequest, 'Invalid request: the batch uses one request id twice');
    const initializing = messages.some((message) => isRequest(message) && message.method === 'initialize');
    if (initializing && messages.length > 1) return sendError(res, 400, ErrorCode.invalidRequest, 'Invalid request: initialize must be sent alone');

    let session: HttpSession;
    const headers: Record<string, string> = {};
    if (this.options.stateless) {
      if (batch && !batchingVersions.has(headerVersion(req) ?? '2025-03-26')) return refuseBatch(res, headerVersion(req)!);
      session = await this.openSession(randomUUID(), caller, req);
    } else if (initializing) {
      const refusal = this.sessions.admit(caller.sub);
      if (refusal) return sendError(res, refusal.status, ErrorCode.backUnavailable, refusal.message, null, { 'retry-after': '1' });
      session = await this.openSession(randomUUID(), caller, req);
      this.sessions.add(session);
      headers['mcp-session-id'] = session.id;
    } else {
      const found = this.findSession(req, res, caller);
      if (!found) return;
      session = found;
      const version = session.protocolVersion ?? headerVersion(req);
      if (batch && version !== undefined && !batchingVersions.has(version)) return refuseBatch(res, version);
      headers['mcp-session-id'] = session.id;
    }
    await this.dispatch(session, messages, batch, caller, req, res, headers);
    if (this.options.stateless) await session.gateway.close();
    else if (initializing && session.protocolVersion === undefined) {
      this.sessions.delete(session);
      await session.close('initialize failed');
    }
  }

  private dispatch(session: HttpSession, messages: JSONRPCMessage[], batch: boolean, caller: Caller, req: IncomingMessage, res: ServerResponse, headers: Record<string, string>): Promise<void> {
    const requests = messages.filter(isRequest);
    if (requests.length === 0) {
      for (const message of messages) {
        session.gateway.fromClient(message, caller, webHeaders(req)).catch((error: unknown) => this.options.logger.error(`gateway error: ${(error as Error).message}`));
      }
      res.writeHead(202, headers).end();
      return Promise.resolve();
    }
    const exchange = new PostExchange(res, new Set(requests.map((request) => request.id)), batch, headers, this.options.maxBufferedBytes);
    session.track(exchange, requests);
    return new Promise<void>((resolve) => {
      let left = messages.length;
      const done = (): void => {
        if (--left > 0) return;
        session.untrack(exchange, requests);
        resolve();
      };
      for (const message of messages) {
        const id = isRequest(message) ? message.id : undefined;
        session.gateway.fromClient(message, caller, webHeaders(req)).then(
          (ctx: Ctx | undefined) => {
            if (isRequest(message) && message.method === 'initialize') {
              session.protocolVersion = negotiatedVersion(ctx);
              // A refused initialize (rate limit, auth) opens no session: the client must not be handed its id.
              if (session.protocolVersion === undefined) delete headers['mcp-session-id'];
            }
            if (id !== undefined) exchange.answer(id, ctx);
            done();
          },
          (error: unknown) => {
            this.options.logger.error(`gateway error: ${(error as Error).message}`);
            if (id !== undefined) exchange.answer(id, { response: errorResponse(id, ErrorCode.internalError, 'internal gateway error') } as Ctx);
            done();
          },
        );
      }
    });
  }

  private get(req: IncomingMessage, res: ServerResponse, caller: Caller): void {
    if (this.options.stateless) {
      res.setHeader('allow', 'POST');
      return sendError(res, 405, ErrorCode.invalidRequest, 'this server is stateless: there is no stream to GET');
    }
    if (!(req.headers.accept ?? '').includes('text/event-stream')) return sendError(res, 406, ErrorCode.invalidRequest, 'Accept must include text/event-stream');
    const session = this.findSession(req, res, caller);
    if (!session) return;
    if (session.getStream && !session.getStream.writableEnded) return sendError(res, 409, ErrorCode.invalidRequest, 'this session already has an open GET stream');
    res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache', connection: 'keep-alive', 'mcp-session-id': session.id });
    res.flushHeaders();
    session.getStream = res;
    // A client that drops the stream mid-write must not take the server down with an unhandled 'error'.
    res.on('error', () => {});
    const keepAlive = setInterval(() => res.write(': keep-alive\n\n'), 25_000);
    keepAlive.unref();
    res.on('close', () => {
      clearInterval(keepAlive);
      if (session.getStream === res) session.getStream = undefined;
    });
  }

  private async delete(req: IncomingMessage, res: ServerResponse, caller: Caller): Promise<void> {
    if (this.options.stateless) {
      res.setHeader('allow', 'POST');
      return sendError(res, 405, ErrorCode.invalidRequest, 'this server is stateless: there is no session to DELETE');
    }
    const session = this.findSession(req, res, caller);
    if (!session) return;
    this.sessions.delete(session);
    await session.close('the client ended the session');
    res.writeHead(200).end();
  }

  /** The session named by Mcp-Session-Id, bound to the same caller; otherwise answers 400/403/404 itself. */
  private findSession(req: IncomingMessage, res: ServerResponse, caller: Caller): HttpSession | undefined {
    const id = req.headers['mcp-session-id'];
    if (typeof id !== 'string' || id === '') {
      sendError(res, 400, ErrorCode.invalidRequest, 'Bad Request: Mcp-Session-Id header is required (initialize first)');
      return undefined;
    }
    const session = this.sessions.get(id);
    if (!session) {
      sendError(res, 404, ErrorCode.invalidRequest, 'Session not found (it ended or the server restarted): initialize a new one');
      return undefined;
    }
    if (session.gateway.caller.sub !== caller.sub) {
      sendError(res, 403, ErrorCode.unauthorized, 'this session belongs to another caller');
      return undefined;
    }
    // The same caller may come back with a fresh token and other scopes: the latest token speaks for it.
    session.gateway.caller = caller;
    session.lastSeen = Date.now();
    return session;
  }

  private async openSession(id: string, caller: Caller, req: IncomingMessage): Promise<HttpSession> {
    const info = { id, front: 'http' as const, remoteAddress: req.socket.remoteAddress };
    const session = new HttpSession(id, caller.sub, this.options.maxBufferedBytes);
    const back = this.options.stateless ? await this.statelessConnection(info) : await this.options.back.connect(info);
    session.gateway = new GatewaySession({
      info,
      caller,
      back,
      chain: this.chain!,
      sink: session,
      logger: this.options.logger,
      requestTimeoutMs: this.options.limits.requestTimeoutMs,
      onGone: () => this.sessions.delete(session),
    });
    return session;
  }

  /** A stateless request's connection: a view of the one shared connection when the back allows it. */
  private async statelessConnection(info: SessionInfo): Promise<BackConnection> {
    if (!this.options.back.capabilities.sharedConnection) return this.options.back.connect(info);
    this.shared ??= this.options.back.connect({ ...info, id: 'stateless' }).then((connection) => new Multiplexer(connection));
    return (await this.shared).view();
  }

}

const noScopes: ReadonlySet<string> = new Set();

const headersOfRequest = new WeakMap<IncomingMessage, Headers>();

function countAuthorization(rawHeaders: readonly string[]): number {
  let count = 0;
  for (let index = 0; index < rawHeaders.length; index += 2) {
    const name = rawHeaders[index]!;
    if (name.length === 13 && name.toLowerCase() === 'authorization') count++;
  }
  return count;
}

/** The request's headers as Web Headers, built once: a header sent twice joined with ", ", as fetch joins them. */
function webHeaders(req: IncomingMessage): Headers {
  let headers = headersOfRequest.get(req);
  if (headers === undefined) {
    headers = new Headers();
    for (let index = 0; index < req.rawHeaders.length; index += 2) headers.append(req.rawHeaders[index]!, req.rawHeaders[index + 1]!);
    headersOfRequest.set(req, headers);
  }
  return headers;
}

function sendJson(res: ServerResponse, status: number, body: unknown, headers: Readonly<Record<string, string>> = {}): void {
  closeIfUnread(res);
  res.writeHead(status, { ...headers, 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
}

function sendError(res: ServerResponse, status: number, code: number, message: string, id: string | number | null = null, headers?: Record<string, string>): void {
  sendJson(res, status, errorResponse(id, code, message), headers);
}

/**
 * A request answered before its body was read (refused by auth, a guard, a limit) must not keep its connection:
 * a slow or endless body would hold it until the body timeout. The answer says so, and the socket closes after it.
 */
function closeIfUnread(res: ServerResponse): void {
  if (res.req.complete) return;
  res.setHeader('connection', 'close');
  res.once('finish', () => res.req.destroy());
}

function headerVersion(req: IncomingMessage): string | undefined {
  const version = req.headers['mcp-protocol-version'];
  return typeof version === 'string' ? version : undefined;
}

function negotiatedVersion(ctx: Ctx | undefined): string | undefined {
  const result = ctx?.response !== undefined && 'result' in ctx.response ? (ctx.response.result as { protocolVersion?: unknown }) : undefined;
  return typeof result?.protocolVersion === 'string' ? result.protocolVersion : undefined;
}

function refuseBatch(res: ServerResponse, version: string): void {
  sendError(res, 400, ErrorCode.invalidRequest, `Invalid request: JSON-RPC batches are not allowed in protocol version ${version} (only in 2025-03-26 and earlier); send one message per POST`);
}
