/** A server-sent event stream as a Web ReadableStream, bounded by what its reader has not taken yet. */
import { encodeMessage } from '../bounds.js';
import { unref } from '../timers.js';
import type { JSONRPCMessage } from '../types.js';

const encoder = new TextEncoder();
const keepAliveComment = encoder.encode(': keep-alive\n\n');

/**
 * One SSE stream to a client: the GET stream, or a POST switched to streaming. Its queue counts bytes, so
 * `desiredSize` goes negative once more than `maxBufferedBytes` wait unread: a client that stops reading must not
 * make the gateway hold its messages without end, so the stream is then dropped (the client may reconnect).
 */
export class SseStream {
  readonly body: ReadableStream<Uint8Array>;
  /** Called once, when the stream ends: closed by the server, cancelled by its reader, or dropped. */
  onClose: (() => void) | undefined;
  private controller!: ReadableStreamDefaultController<Uint8Array>;
  private closed = false;
  private readonly keepAlive: ReturnType<typeof setInterval> | undefined;

  /** @param keepAliveMs how often to send a comment, so that proxies keep an idle stream open */
  constructor(maxBufferedBytes: number, keepAliveMs?: number) {
    this.body = new ReadableStream<Uint8Array>(
      {
        start: (controller) => void (this.controller = controller),
        cancel: () => this.finish(),
      },
      { highWaterMark: maxBufferedBytes, size: (chunk) => chunk.byteLength },
    );
    if (keepAliveMs !== undefined) {
      this.keepAlive = setInterval(() => this.closed || this.controller.enqueue(keepAliveComment), keepAliveMs);
      unref(this.keepAlive);
    }
  }

  get open(): boolean {
    return !this.closed;
  }

  /** Sends one message as an event; false when it could not (closed, not serializable, or dropped just now). */
  write(message: JSONRPCMessage): boolean {
    const text = encodeMessage(message);
    if (text === undefined || this.closed) return false;
    if (this.controller.desiredSize! < 0) {
      this.finish();
      this.controller.error(new Error(`the client left more than the limit unread on its stream`));
      return false;
    }
    this.controller.enqueue(encoder.encode(`event: message\ndata: ${text}\n\n`));
    return true;
  }

  /** Ends the stream after what it holds has been read. */
  end(): void {
    if (this.closed) return;
    this.finish();
    this.controller.close();
  }

  private finish(): void {
    if (this.closed) return;
    this.closed = true;
    clearInterval(this.keepAlive);
    this.onClose?.();
  }
}
