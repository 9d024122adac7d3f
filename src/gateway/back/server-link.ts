import type { Transport, TransportSendOptions } from '@modelcontextprotocol/sdk/shared/transport.js';
import type { JSONRPCMessage, MessageExtraInfo, RequestId } from '@modelcontextprotocol/sdk/types.js';

/**
 * The server's end of an in-process connection. Unlike the SDK's InMemoryTransport it keeps `relatedRequestId`,
 * so the HTTP front can put a tool's progress and sampling requests on the stream of the call they belong to.
 */
export class ServerLink implements Transport {
  onmessage?: (message: JSONRPCMessage, extra?: MessageExtraInfo) => void;
  onclose?: () => void;
  onerror?: (error: Error) => void;
  sessionId?: string;
  private closed = false;

  constructor(private readonly toGateway: (message: JSONRPCMessage, relatedRequestId: RequestId | undefined) => void) {}

  async start(): Promise<void> {}

  async send(message: JSONRPCMessage, options?: TransportSendOptions): Promise<void> {
    if (this.closed) throw new Error('the connection is closed');
    this.toGateway(message, options?.relatedRequestId);
  }

  /** Delivers a message from the gateway to the server. */
  deliver(message: JSONRPCMessage, extra?: MessageExtraInfo): void {
    if (!this.closed) this.onmessage?.(message, extra);
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.onclose?.();
  }
}
