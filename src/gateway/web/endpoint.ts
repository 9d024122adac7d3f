/** The MCP endpoint's methods once the request stage has let a request through: POST, GET and DELETE, and the sessions. */
import type { Logger } from '../../log.js';
import { Multiplexer } from '../back/multiplexer.js';
import type { Back, BackConnection } from '../back/types.js';
import type { MessageLimits } from '../bounds.js';
import type { Chain } from '../compose.js';
import { ErrorCode, errorResponse, isRequest } from '../jsonrpc.js';
import { GatewaySession } from '../session.js';
import type { Caller, Ctx, JSONRPCMessage, SessionInfo } from '../types.js';
import { errorAnswer, type Answer } from './answer.js';
import { BodyTooLarge, declaredTooLarge } from './body.js';
import { PostExchange } from './exchange.js';
import { HttpSession } from './http-session.js';
import { readMessages } from './messages.js';
import { SessionPool } from './session-pool.js';
import { SseStream } from './sse.js';

/** What the core reads of a Request. A Web Request has all of it; the node adapter passes a lighter object. */
export interface CoreRequest {
  readonly method: string;
  /** Absolute; its path is taken as sent. */
  readonly url: string;
  readonly headers: Headers;
  /** The body as UTF-8, rejecting with BodyTooLarge past the front's limit. */
  text(): Promise<string>;
  /** Aborted when the client goes away before its answer is complete. */
  readonly signal?: AbortSignal;
}

export interface EndpointOptions {
  back: Back;
  logger: Logger;
  stateless: boolean;
  maxBodyBytes: number;
  maxSessions: number;
  maxSessionsPerCaller: number;
  /** Sessions with no request for this long are closed (their children stopped). */
  idleSessionMs: number;
  limits: MessageLimits;
  /** How much an SSE stream may hold unread before it is dropped. */
  maxBufferedBytes: number;
}

/** Protocol versions that allow JSON-RPC batches: 2025-06-18 removed them. */
const batchingVersions = new Set(['2025-03-26', '2024-11-05']);

/** How often an open GET stream gets a comment, so that proxies keep it open. */
const keepAliveMs = 25_000;

/**
 * Streamable HTTP's methods on the MCP endpoint (MCP 2025-11-25, accepting 2025-06-18 and 2025-03-26 clients):
 * POST for messages, GET for the server's stream, DELETE to end a session; and the session pool behind them.
 */
export class McpEndpoint {
  readonly sessions: SessionPool;
  private chain: Chain | undefined;
  /** Stateless mode: every request shares one back connection, when the back allows it. */
  private shared: Promise<Multiplexer> | undefined;

  /** @param track given the work a POST goes on doing after its answer started (a stream), for shutdown to wait for */
  constructor(
    private readonly options: EndpointOptions,
    private readonly track: (work: Promise<unknown>) => void,
  ) {
    this.sessions = new SessionPool({ maxSessions: options.maxSessions, maxPerCaller: options.maxSessionsPerCaller, idleMs: options.idleSessionMs }, options.logger);
  }

  start(chain: Chain): void {
    this.chain = chain;
  }

  async post(request: CoreRequest, caller: Caller, remoteAddress: string | undefined): Promise<Answer> {
    const { headers } = request;
    if (!headers.get('content-type')?.includes('application/json')) return errorAnswer(415, ErrorCode.invalidRequest, 'Content-Type must be application/json');
    const accept = headers.get('accept') ?? '';
    if (!accept.includes('*/*') && !(accept.includes('application/json') && accept.includes('text/event-stream'))) {
      return errorAnswer(406, ErrorCode.invalidRequest, 'Accept must list both application/json and text/event-stream');
    }
    let body: string;
    try {
      if (declaredTooLarge(headers, this.options.maxBodyBytes)) throw new BodyTooLarge();
      body = await request.text();
    } catch (error) {
      if (!(error instanceof BodyTooLarge)) throw error;
      return errorAnswer(413, ErrorCode.invalidRequest, `request body is larger than ${this.options.maxBodyBytes} bytes (raise it with --max-body)`, null, { connection: 'close' });
    }
    const posted = readMessages(body);
    if (!('messages' in posted)) return posted;
    const { messages, batch, initializing } = posted;

    let session: HttpSession;
    const answerHeaders: Record<string, string> = {};
    const version = headers.get('mcp-protocol-version') ?? undefined;
    if (this.options.stateless) {
      if (batch && !batchingVersions.has(version ?? '2025-03-26')) return refuseBatch(version!);
      session = await this.openSession(crypto.randomUUID(), caller, remoteAddress);
    } else if (initializing) {
      const refusal = this.sessions.admit(caller.sub);
      if (refusal) return errorAnswer(refusal.status, ErrorCode.backUnavailable, refusal.message, null, { 'retry-after': '1' });
      session = await this.openSession(crypto.randomUUID(), caller, remoteAddress);
      this.sessions.add(session);
      answerHeaders['mcp-session-id'] = session.id;
    } else {
      const found = this.findSession(headers, caller);
      if (!(found instanceof HttpSession)) return found;
      session = found;
      const negotiated = session.protocolVersion ?? version;
      if (batch && negotiated !== undefined && !batchingVersions.has(negotiated)) return refuseBatch(negotiated);
      answerHeaders['mcp-session-id'] = session.id;
    }
    const { answer, done } = this.dispatch(session, messages, batch, caller, request, answerHeaders);
    // A stateless request's session ends with it; an initialize that failed leaves no session behind.
    const cleanup = this.options.stateless || initializing;
    this.track(cleanup ? done.then(() => this.afterPost(session)).catch((error: unknown) => this.options.logger.error(`request failed: ${(error as Error).message}`)) : done);
    return answer;
  }

  get(request: CoreRequest, caller: Caller): Answer {
    if (this.options.stateless) return errorAnswer(405, ErrorCode.invalidRequest, 'this server is stateless: there is no stream to GET', null, { allow: 'POST' });
    if (!(request.headers.get('accept') ?? '').includes('text/event-stream')) return errorAnswer(406, ErrorCode.invalidRequest, 'Accept must include text/event-stream');
    const session = this.findSession(request.headers, caller);
    if (!(session instanceof HttpSession)) return session;
    if (session.listening) return errorAnswer(409, ErrorCode.invalidRequest, 'this session already has an open GET stream');
    const stream = new SseStream(this.options.maxBufferedBytes, keepAliveMs);
    session.getStream = stream;
    stream.onClose = () => {
      if (session.getStream === stream) session.getStream = undefined;
    };
    return { status: 200, headers: { 'content-type': 'text/event-stream', 'cache-control': 'no-cache', 'mcp-session-id': session.id }, body: stream.body };
  }

  async delete(request: CoreRequest, caller: Caller): Promise<Answer> {
    if (this.options.stateless) return errorAnswer(405, ErrorCode.invalidRequest, 'this server is stateless: there is no session to DELETE', null, { allow: 'POST' });
    const session = this.findSession(request.headers, caller);
    if (!(session instanceof HttpSession)) return session;
    this.sessions.delete(session);
    await session.close('the client ended the session');
    return { status: 200, headers: {}, body: undefined };
  }

  /** Ends the GET streams (shutdown: their clients are not waiting for an answer). */
  endStreams(): void {
    for (const session of this.sessions.values()) session.getStream?.end();
  }

  /** Closes every session and the shared connection. */
  async close(reason: string): Promise<void> {
    await this.sessions.closeAll(reason);
    await (await this.shared)?.close();
  }

  /** Runs the messages through the session: the POST's answer (JSON or a stream), and when every message is done. */
  private dispatch(session: HttpSession, messages: JSONRPCMessage[], batch: boolean, caller: Caller, request: CoreRequest, headers: Record<string, string>): { answer: Promise<Answer>; done: Promise<void> } {
    const requests = messages.filter(isRequest);
    if (requests.length === 0) {
      for (const message of messages) {
        session.gateway.fromClient(message, caller, request.headers).catch((error: unknown) => this.options.logger.error(`gateway error: ${(error as Error).message}`));
      }
      return { answer: Promise.resolve({ status: 202, headers, body: undefined }), done: Promise.resolve() };
    }
    const exchange = new PostExchange(new Set(requests.map((message) => message.id)), batch, headers, this.options.maxBufferedBytes, request);
    session.track(exchange, requests);
    const done = new Promise<void>((resolve) => {
      let left = messages.length;
      const settled = (): void => {
        if (--left > 0) return;
        session.untrack(exchange, requests);
        resolve();
      };
      for (const message of messages) {
        const id = isRequest(message) ? message.id : undefined;
        session.gateway.fromClient(message, caller, request.headers).then(
          (ctx: Ctx | undefined) => {
            if (isRequest(message) && message.method === 'initialize') {
              session.protocolVersion = negotiatedVersion(ctx);
              // A refused initialize (rate limit, auth) opens no session: the client must not be handed its id.
              if (session.protocolVersion === undefined) delete headers['mcp-session-id'];
            }
            if (id !== undefined) exchange.answerWith(id, ctx);
            settled();
          },
          (error: unknown) => {
            this.options.logger.error(`gateway error: ${(error as Error).message}`);
            if (id !== undefined) exchange.answerWith(id, { response: errorResponse(id, ErrorCode.internalError, 'internal gateway error') } as Ctx);
            settled();
          },
        );
      }
    });
    return { answer: exchange.answer, done };
  }

  private async afterPost(session: HttpSession): Promise<void> {
    if (this.options.stateless) await session.gateway.close();
    else if (session.protocolVersion === undefined) {
      this.sessions.delete(session);
      await session.close('initialize failed');
    }
  }

  /** The session named by Mcp-Session-Id, bound to the same caller; otherwise the 400/403/404 to answer. */
  private findSession(headers: Headers, caller: Caller): HttpSession | Answer {
    const id = headers.get('mcp-session-id');
    if (id === null || id === '') return errorAnswer(400, ErrorCode.invalidRequest, 'Bad Request: Mcp-Session-Id header is required (initialize first)');
    const session = this.sessions.get(id);
    if (!session) return errorAnswer(404, ErrorCode.invalidRequest, 'Session not found (it ended or the server restarted): initialize a new one');
    if (session.gateway.caller.sub !== caller.sub) return errorAnswer(403, ErrorCode.unauthorized, 'this session belongs to another caller');
    // The same caller may come back with a fresh token and other scopes: the latest token speaks for it.
    session.gateway.caller = caller;
    session.lastSeen = Date.now();
    return session;
  }

  private async openSession(id: string, caller: Caller, remoteAddress: string | undefined): Promise<HttpSession> {
    const info: SessionInfo = { id, front: 'http', remoteAddress };
    const session = new HttpSession(id, caller.sub);
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

function negotiatedVersion(ctx: Ctx | undefined): string | undefined {
  const result = ctx?.response !== undefined && 'result' in ctx.response ? (ctx.response.result as { protocolVersion?: unknown }) : undefined;
  return typeof result?.protocolVersion === 'string' ? result.protocolVersion : undefined;
}

function refuseBatch(version: string): Answer {
  return errorAnswer(400, ErrorCode.invalidRequest, `Invalid request: JSON-RPC batches are not allowed in protocol version ${version} (only in 2025-03-26 and earlier); send one message per POST`);
}
