import type { ServerResponse } from 'node:http';
import type { Ctx, JSONRPCMessage, JSONRPCResponse, RequestId } from '../types.js';

/**
 * One POST and the requests it carried. It answers with plain JSON when it can, and switches to an SSE stream
 * only when the server sends something for these requests before answering them (progress, sampling…): the
 * cheap answer for ordinary calls, streaming when a call needs it.
 */
export class PostExchange {
  private readonly answers: JSONRPCResponse[] = [];
  private streaming = false;
  private lastCtx: Ctx | undefined;

  constructor(
    private readonly res: ServerResponse,
    private readonly waiting: Set<RequestId>,
    private readonly batch: boolean,
    private readonly headers: Record<string, string>,
  ) {}

  get open(): boolean {
    return !this.res.writableEnded && !this.res.destroyed;
  }

  waitsFor(id: RequestId): boolean {
    return this.waiting.has(id);
  }

  /** Sends a server message on this exchange's stream, switching to SSE first. */
  push(message: JSONRPCMessage): void {
    if (!this.open) return;
    if (!this.streaming) {
      this.streaming = true;
      this.res.on('error', () => {});
      this.res.writeHead(200, { ...this.headers, 'content-type': 'text/event-stream', 'cache-control': 'no-cache', connection: 'keep-alive' });
    }
    writeEvent(this.res, message);
  }

  /** Records the answer to one of the requests; the exchange ends when all of them are answered. */
  answer(id: RequestId, ctx: Ctx | undefined): void {
    this.waiting.delete(id);
    if (ctx?.response) {
      if (this.streaming) this.push(ctx.response);
      else this.answers.push(ctx.response);
      this.lastCtx = ctx;
    }
    if (this.waiting.size === 0) this.finish();
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
    const body = JSON.stringify(this.batch ? this.answers : this.answers[0]);
    this.res.writeHead(http?.status ?? 200, { ...this.headers, ...http?.headers, 'content-type': 'application/json' });
    this.res.end(body);
  }
}

export function writeEvent(res: ServerResponse, message: JSONRPCMessage): void {
  res.write(`event: message\ndata: ${JSON.stringify(message)}\n\n`);
}
