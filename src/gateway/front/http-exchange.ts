import type { ServerResponse } from 'node:http';
import { encodeMessage } from '../bounds.js';
import type { Ctx, JSONRPCMessage, JSONRPCResponse, RequestId } from '../types.js';

/**
 * One POST and the requests it carried. It answers with plain JSON when it can, and switches to an SSE stream
 * only when the server sends something for these requests before answering them (progress, sampling…): the
 * cheap answer for ordinary calls, streaming when a call needs it.
 */
export class PostExchange {
  private readonly answers: string[] = [];
  private streaming = false;
  private lastCtx: Ctx | undefined;

  constructor(
    private readonly res: ServerResponse,
    private readonly waiting: Set<RequestId>,
    private readonly batch: boolean,
    private readonly headers: Record<string, string>,
    private readonly maxBufferedBytes: number,
  ) {}

  get open(): boolean {
    return !this.res.writableEnded && !this.res.destroyed;
  }

  waitsFor(id: RequestId): boolean {
    return this.waiting.has(id);
  }

  /** Sends a server message on this exchange's stream, switching to SSE first. False when it could not. */
  push(message: JSONRPCMessage): boolean {
    if (!this.open) return false;
    if (!this.streaming) {
      this.streaming = true;
      this.res.on('error', () => {});
      this.res.writeHead(200, { ...this.headers, 'content-type': 'text/event-stream', 'cache-control': 'no-cache', connection: 'keep-alive' });
    }
    return writeEvent(this.res, message, this.maxBufferedBytes);
  }

  /** Records the answer to one of the requests; the exchange ends when all of them are answered. */
  answer(id: RequestId, ctx: Ctx | undefined): void {
    this.waiting.delete(id);
    if (ctx?.response) {
      if (this.streaming) this.push(ctx.response);
      else this.queue(ctx.response);
      this.lastCtx = ctx;
    }
    if (this.waiting.size === 0) this.finish();
  }

  private queue(response: JSONRPCResponse): void {
    const text = encodeMessage(response);
    if (text !== undefined) this.answers.push(text);
  }

  private finish(): void {
    if (!this.open) return;
    if (this.streaming) {
      this.res.end();
      return;
    }
    if (this.answers.length === 0) {
      this.res.writeHead(202, this.headers).end();
      return;
    }
    const http = !this.batch ? this.lastCtx?.http : undefined;
    const body = this.batch ? `[${this.answers.join(',')}]` : this.answers[0]!;
    this.res.writeHead(http?.status ?? 200, { ...this.headers, ...http?.headers, 'content-type': 'application/json' });
    this.res.end(body);
  }
}

/**
 * Writes one SSE event. A client that stops reading must not make the gateway hold its messages without end:
 * past `maxBufferedBytes` unread, the stream is dropped (the client may reconnect) and false is returned.
 */
export function writeEvent(res: ServerResponse, message: JSONRPCMessage, maxBufferedBytes: number): boolean {
  const text = encodeMessage(message);
  if (text === undefined) return false;
  if (res.writableLength > maxBufferedBytes) {
    res.destroy();
    return false;
  }
  res.write(`event: message\ndata: ${text}\n\n`);
  return true;
}
