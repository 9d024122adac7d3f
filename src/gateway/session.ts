import type { Logger } from '../log.js';
import type { BackConnection } from './back/types.js';
import { exceedsDepth, maxMessageDepth } from './bounds.js';
import type { Chain } from './compose.js';
import { ErrorCode, errorResponse, isRequest, isResponse } from './jsonrpc.js';
import { unref } from './timers.js';
import type {
  Caller,
  Ctx,
  JSONRPCMessage,
  JSONRPCNotification,
  JSONRPCRequest,
  JSONRPCResponse,
  RequestId,
  SessionInfo,
} from './types.js';

/** Where a session sends what the server initiates (notifications, requests such as sampling). */
export interface ClientSink {
  /** Returns false when the client has no open stream to receive it. */
  deliver(message: JSONRPCMessage, relatedRequestId: RequestId | undefined): boolean;
}

type Settle = (response: JSONRPCResponse | undefined) => void;

export interface GatewaySessionOptions {
  info: SessionInfo;
  caller: Caller;
  back: BackConnection;
  chain: Chain;
  sink: ClientSink;
  logger: Logger;
  /** How long a request in either direction may wait for its answer before it is answered with an error. */
  requestTimeoutMs: number;
  onGone?: () => void;
}

/**
 * One client session joined to one back connection through the middleware chain. Requests in both directions
 * are matched to their responses here, so fronts and backs only move messages.
 */
export class GatewaySession {
  readonly info: SessionInfo;
  /** The caller bound to this session (set by the front at initialize); later requests must match it. */
  caller: Caller;
  private readonly back: BackConnection;
  private readonly chain: Chain;
  private readonly sink: ClientSink;
  private readonly logger: Logger;
  private readonly requestTimeoutMs: number;
  private readonly toServer = new Map<RequestId, Settle>();
  private readonly toClient = new Map<RequestId, Settle>();
  /** Ids of the client's requests from the moment they arrive until answered: the chain may take a while (Redis). */
  private readonly clientIds = new Set<RequestId>();
  private closed = false;
  /**
   * Server notifications still travelling through the chain, and the last of them. A response must not overtake
   * the progress notifications the server sent before it, nor one notification another.
   */
  private notificationsInChain = 0;
  private lastNotification: Promise<void> = Promise.resolve();

  private readonly onGone: (() => void) | undefined;

  constructor(options: GatewaySessionOptions) {
    this.info = options.info;
    this.logger = options.logger;
    this.requestTimeoutMs = options.requestTimeoutMs;
    this.caller = options.caller;
    this.back = options.back;
    this.chain = options.chain;
    this.sink = options.sink;
    this.back.onmessage = (message, related) => this.fromServer(message, related);
    this.onGone = options.onGone;
    this.back.onreset = (reason, final) => {
      this.failPending(reason);
      if (!final) return;
      // The back will not come back (a child that keeps crashing): the session is over for its client too.
      this.closed = true;
      this.onGone?.();
    };
  }

  /** Requests in flight either way: the client's not yet answered, and the server's waiting for the client. */
  get pending(): number {
    return this.clientIds.size + this.toClient.size;
  }

  /**
   * Handles one message from the client. Resolves to the context of a request once it is answered (its
   * `response` is what to send back), or to undefined for notifications and responses.
   */
  async fromClient(message: JSONRPCMessage, caller: Caller, headers?: Headers): Promise<Ctx | undefined> {
    if (isResponse(message)) {
      const settle = this.toClient.get(message.id as RequestId);
      if (settle) {
        this.toClient.delete(message.id as RequestId);
        settle(exceedsDepth(message) ? this.refusedAnswer(message, 'client') : message);
      }
      return undefined;
    }
    const ctx = createCtx('in', message, this.info, caller, headers);
    if (exceedsDepth(message)) {
      if (isRequest(message)) ctx.response = errorResponse(message.id, ErrorCode.invalidRequest, `Invalid request: nested deeper than ${maxMessageDepth} levels`);
      else this.logger.warn(`dropped a notification from the client nested deeper than ${maxMessageDepth} levels`, { method: message.method.slice(0, 100), session: this.info.id });
      return isRequest(message) ? ctx : undefined;
    }
    if (!isRequest(message)) {
      await this.chain(ctx, this.forwardToServer);
      return undefined;
    }
    if (this.clientIds.has(message.id)) {
      ctx.response = errorResponse(message.id, ErrorCode.invalidRequest, `request id ${JSON.stringify(message.id)} is already in flight in this session`);
      return ctx;
    }
    this.clientIds.add(message.id);
    try {
      await this.chain(ctx, this.forwardToServer);
    } finally {
      this.clientIds.delete(message.id);
    }
    return ctx;
  }

  /** The chain's last step for client messages: hand the message to the server and wait for its answer. */
  private readonly forwardToServer = (ctx: Ctx): Promise<void> => {
    const message = ctx.message;
    if (this.closed) {
      if ('id' in message) ctx.response = errorResponse(message.id, ErrorCode.backUnavailable, 'the session is closed');
      return Promise.resolve();
    }
    if (!('id' in message)) {
      if (message.method === 'notifications/cancelled') this.settleCancelled(message);
      this.back.send(message);
      return Promise.resolve();
    }
    return new Promise((resolve) => {
      const id = message.id;
      const deadline = setTimeout(() => this.expire(id, ctx.message.method), this.requestTimeoutMs);
      unref(deadline);
      this.toServer.set(id, (response) => {
        clearTimeout(deadline);
        ctx.response = response;
        resolve();
      });
      this.back.send(message, ctx.caller);
    });
  };

  /** A request the server did not answer in time: the client gets an error, the server a cancellation. */
  private expire(id: RequestId, method: string): void {
    const settle = this.toServer.get(id);
    if (!settle) return;
    this.toServer.delete(id);
    const after = formatDeadline(this.requestTimeoutMs);
    settle(errorResponse(id, ErrorCode.requestTimeout, `the server did not answer ${method} within ${after} (--request-timeout)`));
    this.back.send({ jsonrpc: '2.0', method: 'notifications/cancelled', params: { requestId: id, reason: `no answer within ${after}` } });
  }

  /** The chain's last step for server messages: hand the message to the client and wait for its answer. */
  private readonly forwardToClient = (ctx: Ctx): Promise<void> => {
    const message = ctx.message;
    const relatedRequestId = ctx.state.get(relatedKey) as RequestId | undefined;
    if (!('id' in message)) {
      this.sink.deliver(message, relatedRequestId);
      return Promise.resolve();
    }
    return new Promise((resolve) => {
      const id = message.id;
      const deadline = setTimeout(() => {
        if (!this.toClient.delete(id)) return;
        ctx.response = errorResponse(id, ErrorCode.requestTimeout, `the client did not answer ${message.method} within ${formatDeadline(this.requestTimeoutMs)}`);
        resolve();
      }, this.requestTimeoutMs);
      unref(deadline);
      this.toClient.set(id, (response) => {
        clearTimeout(deadline);
        ctx.response = response;
        resolve();
      });
      if (!this.sink.deliver(message, relatedRequestId)) {
        this.toClient.delete(id);
        clearTimeout(deadline);
        ctx.response = errorResponse(id, ErrorCode.internalError, 'the client has no open stream to receive this request');
        resolve();
      }
    });
  };

  async close(reason = 'the session was closed'): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.failPending(reason);
    await this.back.close();
  }

  private fromServer(message: JSONRPCMessage, relatedRequestId: RequestId | undefined): void {
    if (isResponse(message)) {
      const settle = this.toServer.get(message.id as RequestId);
      if (!settle) return;
      this.toServer.delete(message.id as RequestId);
      const answer = exceedsDepth(message) ? this.refusedAnswer(message, 'server') : message;
      if (this.notificationsInChain === 0) settle(answer);
      else void this.lastNotification.then(() => settle(answer));
      return;
    }
    if (exceedsDepth(message)) {
      this.logger.warn(`refused a ${isRequest(message) ? 'request' : 'notification'} from the server nested deeper than ${maxMessageDepth} levels`, { method: message.method.slice(0, 100), session: this.info.id });
      if (isRequest(message)) this.back.send(errorResponse(message.id, ErrorCode.invalidRequest, `Invalid request: nested deeper than ${maxMessageDepth} levels`));
      return;
    }
    const ctx = createCtx('out', message, this.info, this.caller, undefined);
    ctx.state.set(relatedKey, relatedRequestId);
    if (!isRequest(message)) {
      const relay = (): Promise<void> => this.chain(ctx, this.forwardToClient).catch(() => undefined);
      this.lastNotification = this.notificationsInChain++ === 0 ? relay() : this.lastNotification.then(relay);
      void this.lastNotification.finally(() => this.notificationsInChain--);
      return;
    }
    this.chain(ctx, this.forwardToClient).then(
      () => {
        if (ctx.response && !this.closed) this.back.send(ctx.response);
      },
      () => {
        if (!this.closed) this.back.send(errorResponse(message.id, ErrorCode.internalError, 'the gateway failed to relay this request'));
      },
    );
  }

  /** An answer nested too deeply to pass on: the side that asked gets an error in its place. */
  private refusedAnswer(answer: JSONRPCResponse, from: 'client' | 'server'): JSONRPCResponse {
    this.logger.warn(`refused an answer from the ${from} nested deeper than ${maxMessageDepth} levels`, { session: this.info.id });
    return errorResponse(answer.id ?? null, ErrorCode.internalError, `the ${from}'s answer was refused: it nests deeper than ${maxMessageDepth} levels`);
  }

  private settleCancelled(notification: JSONRPCNotification): void {
    const requestId = (notification.params as { requestId?: RequestId } | undefined)?.requestId;
    if (requestId === undefined) return;
    const settle = this.toServer.get(requestId);
    if (!settle) return;
    this.toServer.delete(requestId);
    settle(undefined);
  }

  private failPending(reason: string): void {
    for (const [id, settle] of this.toServer) settle(errorResponse(id, ErrorCode.backUnavailable, reason));
    this.toServer.clear();
    for (const [id, settle] of this.toClient) settle(errorResponse(id, ErrorCode.internalError, reason));
    this.toClient.clear();
  }
}

function formatDeadline(ms: number): string {
  return ms % 1000 === 0 ? `${ms / 1000}s` : `${ms} ms`;
}

/** Key in ctx.state holding, for "out" messages, the client request a server message relates to. */
export const relatedKey = Symbol('relatedRequestId');

export function createCtx(
  direction: Ctx['direction'],
  message: JSONRPCRequest | JSONRPCNotification,
  session: SessionInfo,
  caller: Caller,
  headers: Headers | undefined,
): Ctx {
  return { direction, message, session, caller, headers, receivedAt: performance.now(), response: undefined, http: undefined, refused: false, state: new Map() };
}
