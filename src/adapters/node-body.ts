import type { IncomingMessage } from 'node:http';
import { BodyTooLarge } from '../gateway/web/body.js';

/**
 * Reads a request body as UTF-8, refusing (with BodyTooLarge) once more than `limit` bytes arrived: the rest is
 * read and dropped, never held.
 */
export function readBody(req: IncomingMessage, limit: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        req.removeAllListeners('data');
        req.resume();
        reject(new BodyTooLarge());
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => resolve(chunks.length === 1 ? chunks[0]!.toString('utf8') : Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
    // The client went away, or the body timeout cut it off (an Error only then: its stack costs a call).
    req.on('close', () => req.complete || reject(new Error('the request was closed before its body ended')));
  });
}
