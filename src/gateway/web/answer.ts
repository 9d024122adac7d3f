/** What the Web core answers, as plain data first: a Response for Web runtimes, written as it is by the node adapter. */
import { errorResponse } from '../jsonrpc.js';
import type { RequestId } from '../types.js';

/**
 * An HTTP answer before it becomes a Response. The core builds these; `toResponse` makes the Web one, and the node
 * adapter writes them straight to its ServerResponse (a Response would cost it a body stream per call).
 */
export interface Answer {
  readonly status: number;
  readonly headers: Readonly<Record<string, string>>;
  /** The whole body, a stream of it (SSE), or none. */
  readonly body: string | ReadableStream<Uint8Array> | undefined;
}

export function toResponse(answer: Answer): Response {
  return new Response(answer.body ?? null, { status: answer.status, headers: answer.headers });
}

export function jsonAnswer(status: number, body: unknown, headers: Readonly<Record<string, string>> = {}): Answer {
  return { status, headers: { ...headers, 'content-type': 'application/json' }, body: JSON.stringify(body) };
}

/** A JSON-RPC error as the whole answer. */
export function errorAnswer(status: number, code: number, message: string, id: RequestId | null = null, headers?: Readonly<Record<string, string>>): Answer {
  return jsonAnswer(status, errorResponse(id, code, message), headers);
}

/** The same answer with more headers (its own win). */
export function withHeaders(answer: Answer, headers: Readonly<Record<string, string>>): Answer {
  return { ...answer, headers: { ...headers, ...answer.headers } };
}
