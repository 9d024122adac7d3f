/** The limits every message crossing the gateway is held to, and the checks that apply them without recursion. */
import { ErrorCode, errorResponse, isResponse } from './jsonrpc.js';
import type { JSONRPCMessage } from './types.js';

/**
 * How deep a message may nest. JSON.parse copes with any depth, but JSON.stringify, the SDK's schemas and any
 * recursive walk overflow the stack somewhere past a few thousand levels; no honest MCP message comes near this.
 */
export const maxMessageDepth = 128;

export interface MessageLimits {
  /** Largest message, in bytes, read from a line (stdio, a child's stdout). */
  readonly maxMessageBytes: number;
  /** How long a request may wait for its answer before the gateway answers it with an error. */
  readonly requestTimeoutMs: number;
}

/**
 * True when `value` nests objects or arrays deeper than `limit`. Iterative, and it visits only containers, so a
 * large string costs nothing and a deep value cannot overflow the stack that checks it.
 */
export function exceedsDepth(value: unknown, limit = maxMessageDepth): boolean {
  if (typeof value !== 'object' || value === null) return false;
  const stack: object[] = [value];
  const depths: number[] = [1];
  while (stack.length > 0) {
    const current = stack.pop()!;
    const depth = depths.pop()!;
    if (depth > limit) return true;
    const children = Array.isArray(current) ? current : Object.values(current);
    for (const child of children) {
      if (typeof child === 'object' && child !== null) {
        stack.push(child);
        depths.push(depth + 1);
      }
    }
  }
  return false;
}

/** JSON text of a message, or undefined when it cannot be serialized (a cycle, a BigInt, a stack overflow). */
export function stringifyMessage(message: unknown): string | undefined {
  try {
    return JSON.stringify(message);
  } catch {
    return undefined;
  }
}

/**
 * The JSON text to send a peer for `message`. An answer that cannot be serialized becomes an error answer to the
 * same request, so the peer is never left waiting; any other message that cannot be is undefined (dropped).
 */
export function encodeMessage(message: JSONRPCMessage): string | undefined {
  const text = stringifyMessage(message);
  if (text !== undefined || !isResponse(message)) return text;
  return JSON.stringify(errorResponse(message.id ?? null, ErrorCode.internalError, 'the answer cannot be sent: it is not serializable as JSON (too deeply nested, or cyclic)'));
}
