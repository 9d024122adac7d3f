import { ErrorCode, errorResponse, isRequest, isResponse } from '../jsonrpc.js';
import type { Caller, JSONRPCMessage, JSONRPCRequest, RequestId } from '../types.js';
import type { BackConnection } from './types.js';

type ProgressToken = string | number;

interface Route {
  readonly view: View;
  readonly id: RequestId;
  readonly progressToken: ProgressToken | undefined;
}

/**
 * Shares one back connection between many short-lived sessions (stateless HTTP): each request gets an id of
 * the connection's own, and its answer and progress find their way back to the session that asked. This makes
 * a stateless request cost one message, not one server instance or one child process.
 */
export class Multiplexer {
  private nextId = 1;
  private readonly routes = new Map<number, Route>();

  constructor(private readonly connection: BackConnection) {
    connection.onmessage = (message, related) => this.fromServer(message, related);
    connection.onreset = (reason) => this.failAll(reason);
  }

  /** A connection for one session: closing it forgets the session's requests, not the shared connection. */
  view(): BackConnection {
    return new View(this);
  }

  close(): Promise<void> {
    return this.connection.close();
  }

  send(view: View, message: JSONRPCMessage, caller: Caller | undefined): void {
    if (isRequest(message)) {
      const id = this.nextId++;
      const meta = message.params?._meta as { progressToken?: ProgressToken } | undefined;
      this.routes.set(id, { view, id: message.id, progressToken: meta?.progressToken });
      view.ids.set(message.id, id);
      const params = meta?.progressToken === undefined ? message.params : { ...message.params, _meta: { ...meta, progressToken: id } };
      this.connection.send({ ...message, id, params } as JSONRPCRequest, caller);
      return;
    }
    if (!isResponse(message) && message.method === 'notifications/cancelled') {
      const params = message.params as { requestId?: RequestId } | undefined;
      const id = params?.requestId === undefined ? undefined : view.ids.get(params.requestId);
      if (id !== undefined) this.connection.send({ ...message, params: { ...params, requestId: id } }, caller);
      return;
    }
    // Other notifications (initialized, roots changed) describe the shared connection, which is already set up.
    if (!isResponse(message) && message.method === 'notifications/initialized') return;
    this.connection.send(message, caller);
  }

  forget(view: View): void {
    for (const id of view.ids.values()) this.routes.delete(id);
    view.ids.clear();
  }

  private fromServer(message: JSONRPCMessage, related: RequestId | undefined): void {
    if (isResponse(message)) {
      const route = typeof message.id === 'number' ? this.routes.get(message.id) : undefined;
      if (!route) return;
      this.routes.delete(message.id as number);
      route.view.ids.delete(route.id);
      route.view.onmessage?.({ ...message, id: route.id }, undefined);
      return;
    }
    if (message.method === 'notifications/progress') {
      const params = message.params as { progressToken: ProgressToken };
      const route = typeof params.progressToken === 'number' ? this.routes.get(params.progressToken) : undefined;
      if (route?.progressToken !== undefined) route.view.onmessage?.({ ...message, params: { ...params, progressToken: route.progressToken } }, route.id);
      return;
    }
    const route = typeof related === 'number' ? this.routes.get(related) : undefined;
    if (route) {
      route.view.onmessage?.(message, route.id);
    } else if (isRequest(message)) {
      // A stateless server has no client to ask when the request is not tied to one of the client's calls.
      this.connection.send(errorResponse(message.id, ErrorCode.internalError, 'a stateless gateway cannot relay server requests outside a call'));
    }
  }

  private failAll(reason: string): void {
    for (const [id, route] of this.routes) {
      route.view.onmessage?.(errorResponse(route.id, ErrorCode.backUnavailable, reason), undefined);
      this.routes.delete(id);
    }
  }
}

class View implements BackConnection {
  onmessage: BackConnection['onmessage'];
  onreset: BackConnection['onreset'];
  /** The session's request ids → the shared connection's. */
  readonly ids = new Map<RequestId, number>();

  constructor(private readonly multiplexer: Multiplexer) {}

  send(message: JSONRPCMessage, caller?: Caller): void {
    this.multiplexer.send(this, message, caller);
  }

  async close(): Promise<void> {
    this.multiplexer.forget(this);
  }
}
