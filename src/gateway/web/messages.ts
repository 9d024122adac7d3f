/** A POST body read as JSON-RPC: one message or a batch, each checked at the edge, or the 400 to answer. */
import { ErrorCode, answerableId, checkMessage, errorInPlaceOf, isRequest } from '../jsonrpc.js';
import type { JSONRPCMessage } from '../types.js';
import { errorAnswer, type Answer } from './answer.js';

export interface PostedMessages {
  readonly messages: JSONRPCMessage[];
  readonly batch: boolean;
  /** The POST is an initialize (which must come alone). */
  readonly initializing: boolean;
}

/** The messages of a POST body, or the answer refusing it. */
export function readMessages(body: string): PostedMessages | Answer {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    return errorAnswer(400, ErrorCode.parseError, 'Parse error: the body is not valid JSON');
  }
  const batch = Array.isArray(parsed);
  const values: unknown[] = batch ? (parsed as unknown[]) : [parsed];
  if (values.length === 0) return errorAnswer(400, ErrorCode.invalidRequest, 'Invalid request: empty batch');
  const messages: JSONRPCMessage[] = [];
  for (const value of values) {
    const problem = checkMessage(value);
    // A client's invalid answer still settles the server's request it answers, with an error.
    const answer = problem === undefined ? undefined : errorInPlaceOf(value, problem, 'client');
    if (problem !== undefined && answer === undefined) return errorAnswer(400, ErrorCode.invalidRequest, `Invalid request: ${problem}`, answerableId(value));
    messages.push(answer ?? (value as JSONRPCMessage));
  }
  const ids = messages.filter(isRequest).map((message) => message.id);
  if (new Set(ids).size < ids.length) return errorAnswer(400, ErrorCode.invalidRequest, 'Invalid request: the batch uses one request id twice');
  const initializing = messages.some((message) => isRequest(message) && message.method === 'initialize');
  if (initializing && messages.length > 1) return errorAnswer(400, ErrorCode.invalidRequest, 'Invalid request: initialize must be sent alone');
  return { messages, batch, initializing };
}
