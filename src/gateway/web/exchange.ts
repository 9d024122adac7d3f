import { encodeMessage } from '../bounds.js';
import type { Ctx, JSONRPCMessage, JSONRPCResponse, RequestId } from '../types.js';
import type { Answer } from './answer.js';
import { SseStream } from './sse.js';

/**
 * One POST and the requests it carried. It answers with plain JSON when it can, and switches to an SSE stream
 * only when the server sends something for these requests before answering them (progress, sampling…): the
 * cheap answer for ordinary calls, streaming when a call needs it.
 */
export class PostExchange {
  /** The POST's answer: the JSON once every request is answered, or the SSE stream as soon as it starts. */
  readonly answer: Promise<Answer>;
  private settle!: (answer: Answer) => void;
  private readonly answers: string[] = [];
  private stream: SseStream | undefined;
  private ended = false;
  private lastCtx: Ctx | undefined;

  /**
   * @param headers sent with the answer; read when it is sent (initialize removes the session id it refuses)
   * @param request its signal, aborted when the client has gone, is read only when the server sends during a call
   */
  constructor(
    private readonly waiting: Set<RequestId>,
    private readonly batch: boolean,
    private readonly headers: Record<string, string>,
    private readonly maxBufferedBytes: number,
    private readonly request: { readonly signal?: AbortSignal },
  ) {
    this.answer = new Promise((resolve) => (this.settle = resolve));
  }

  /** The client is still there to receive what this exchange sends. */
  get open(): boolean {
    if (this.stream !== undefined) return this.stream.open;
    return !this.ended && this.request.signal?.aborted !== true;
  }

  waitsFor(id: RequestId): boolean {
    return this.waiting.has(id);
  }

  /** Sends a server message on this exchange's stream, switching to SSE first. False when it could not. */
  push(message: JSONRPCMessage): boolean {
    if (!this.open) return false;
    if (this.stream === undefined) {
      this.stream = new SseStream(this.maxBufferedBytes);
      this.settle({ status: 200, headers: { ...this.headers, 'content-type': 'text/event-stream', 'cache-control': 'no-cache' }, body: this.stream.body });
    }
    return this.stream.write(message);
  }

  /** Records the answer to one of the requests; the exchange ends when all of them are answered. */
  answerWith(id: RequestId, ctx: Ctx | undefined): void {
    this.waiting.delete(id);
    if (ctx?.response) {
      if (this.stream !== undefined) this.push(ctx.response);
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
    if (this.ended) return;
    this.ended = true;
    if (this.stream !== undefined) return this.stream.end();
    if (this.answers.length === 0) return this.settle({ status: 202, headers: this.headers, body: undefined });
    const http = !this.batch ? this.lastCtx?.http : undefined;
    const body = this.batch ? `[${this.answers.join(',')}]` : this.answers[0]!;
    this.settle({ status: http?.status ?? 200, headers: { ...this.headers, ...http?.headers, 'content-type': 'application/json' }, body });
  }
}
