import { UserError } from '../errors.js';
import { refusalOf } from './refusal.js';
import { rpcErrorOf } from './server-error.js';
import type { JsonSchema } from './arguments.js';
import type { RawResult, Session } from './session.js';

const maxPages = 1000;

/**
 * A list method's whole answer: pages followed through `nextCursor` and their arrays joined into the first
 * page's result object (without the cursor), so one object carries everything the server sent.
 */
export async function listAll(session: Session, method: string, key: string): Promise<RawResult> {
  const first = await session.request(method);
  const items = [...((first[key] as unknown[] | undefined) ?? [])];
  let cursor = first.nextCursor;
  for (let page = 1; typeof cursor === 'string' && page < maxPages; page++) {
    const next = await session.request(method, { cursor });
    items.push(...((next[key] as unknown[] | undefined) ?? []));
    cursor = next.nextCursor;
  }
  const { nextCursor: _cursor, ...rest } = first;
  return { ...rest, [key]: items };
}

export interface Tool {
  name: string;
  description?: string;
  inputSchema?: JsonSchema;
}

export interface Prompt {
  name: string;
  arguments?: { name: string; required?: boolean; description?: string }[];
}

/** What a list showed for a name: the item, or the error to give if the server does not know it either. */
export type Lookup<T> = { item: T; unlisted?: undefined } | { item?: undefined; unlisted: UserError };

export async function findTool(session: Session, name: string): Promise<Lookup<Tool>> {
  return lookup((await listAll(session, 'tools/list', 'tools')).tools as Tool[], name, 'tool');
}

export async function findPrompt(session: Session, name: string): Promise<Lookup<Prompt>> {
  return lookup((await listAll(session, 'prompts/list', 'prompts')).prompts as Prompt[], name, 'prompt');
}

function lookup<T extends { name: string }>(items: readonly T[], name: string, kind: string): Lookup<T> {
  const item = items.find((each) => each.name === name);
  if (item) return { item };
  const names = items.map((each) => each.name);
  return { unlisted: new UserError(`the server has no ${kind} "${name}"`, { hint: names.length ? `its ${kind}s: ${names.join(', ')}` : `it lists no ${kind}s` }) };
}

/**
 * Sends a request for a tool or prompt the list did not show: lists may be filtered by the caller's scopes, so
 * only the server can tell "not yours" or "not now" (a refusal, passed on) from "no such thing" (the unlisted error).
 */
export async function requestUnlisted(session: Session, method: string, params: Record<string, unknown>, unlisted: UserError): Promise<RawResult> {
  let result: RawResult;
  try {
    result = await session.request(method, params);
  } catch (error) {
    const rpc = rpcErrorOf(error);
    throw rpc && refusalOf(error) === undefined ? unlisted : error;
  }
  if (result.isError === true) throw unlisted;
  return result;
}
