/** A request body read whole, up to a limit in bytes, on any runtime. */

export class BodyTooLarge extends Error {
  constructor() {
    super('the request body is larger than the limit');
    this.name = 'BodyTooLarge';
  }
}

/** True when the request says (Content-Length) that its body is larger than `limit` bytes. */
export function declaredTooLarge(headers: Headers, limit: number): boolean {
  return Number(headers.get('content-length')) > limit;
}

/**
 * Reads a Web body stream as UTF-8 text, refusing (with BodyTooLarge) once more than `limit` bytes arrived: the
 * rest is cancelled, never buffered.
 */
export async function readLimited(body: ReadableStream<Uint8Array> | null, limit: number): Promise<string> {
  if (body === null) return '';
  const reader = body.getReader();
  const decoder = new TextDecoder();
  let text = '';
  let size = 0;
  for (;;) {
    const { value, done } = await reader.read();
    if (done) return text + decoder.decode();
    size += value.byteLength;
    if (size > limit) {
      await reader.cancel();
      throw new BodyTooLarge();
    }
    text += decoder.decode(value, { stream: true });
  }
}
