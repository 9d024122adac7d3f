import { isRequest } from '../jsonrpc.js';
import type { ClientSink, GatewaySession } from '../session.js';
import type { JSONRPCMessage, RequestId } from '../types.js';
import type { PostExchange } from './exchange.js';
import type { SseStream } from './sse.js';

/** A session as the HTTP front keeps it: the gateway session plus the streams its messages can travel on. */
export class HttpSession implements ClientSink {
  gateway!: GatewaySession;
  getStream: SseStream | undefined;
  lastSeen = Date.now();
  /** The protocol version the session negotiated at initialize (what decides whether batches are allowed). */
  protocolVersion: string | undefined;
  readonly exchanges = new Set<PostExchange>();
  private readonly progressOwners = new Map<string | number, RequestId>();

  /** @param owner the caller (`sub`) the session belongs to */
  constructor(
    readonly id: string,
    readonly owner: string,
  ) {}

  /** No request in flight either way: closing the session now loses no call. */
  get idle(): boolean {
    return this.gateway.pending === 0;
  }

  /** The client holds a GET stream open: it is listening for the server's messages. */
  get listening(): boolean {
    return this.getStream?.open === true;
  }

  async close(reason: string): Promise<void> {
    this.getStream?.end();
    await this.gateway.close(reason);
  }

  track(exchange: PostExchange, messages: JSONRPCMessage[]): void {
    this.exchanges.add(exchange);
    for (const message of messages) {
      const token = progressTokenOf(message);
      if (token !== undefined && isRequest(message)) this.progressOwners.set(token, message.id);
    }
  }

  untrack(exchange: PostExchange, messages: JSONRPCMessage[]): void {
    this.exchanges.delete(exchange);
    for (const message of messages) {
      const token = progressTokenOf(message);
      if (token !== undefined) this.progressOwners.delete(token);
    }
  }

  deliver(message: JSONRPCMessage, relatedRequestId: RequestId | undefined): boolean {
    let owner = relatedRequestId;
    if (owner === undefined && 'method' in message && message.method === 'notifications/progress') {
      owner = this.progressOwners.get((message.params as { progressToken: string | number }).progressToken);
    }
    if (owner !== undefined) {
      for (const exchange of this.exchanges) {
        if (exchange.open && exchange.waitsFor(owner)) return exchange.push(message);
      }
    }
    if (this.listening) return this.getStream!.write(message);
    // No stream named and none standing open: the most recent open POST is the client listening now.
    let latest: PostExchange | undefined;
    for (const exchange of this.exchanges) if (exchange.open) latest = exchange;
    return latest !== undefined && latest.push(message);
  }
}

/** The progress token a client request asks its progress notifications to carry. */
function progressTokenOf(message: JSONRPCMessage): string | number | undefined {
  return isRequest(message) ? (message.params?._meta as { progressToken?: string | number } | undefined)?.progressToken : undefined;
}
