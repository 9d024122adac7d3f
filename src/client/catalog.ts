import { UserError } from '../errors.js';
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

/** The tool by name, from tools/list; a name the server lacks is a usage error that lists what it has. */
export async function findTool(session: Session, name: string): Promise<Tool> {
  const tools = (await listAll(session, 'tools/list', 'tools')).tools as Tool[];
  return pick(tools, name, 'tool');
}

export interface Prompt {
  name: string;
  arguments?: { name: string; required?: boolean; description?: string }[];
}

export async function findPrompt(session: Session, name: string): Promise<Prompt> {
  const prompts = (await listAll(session, 'prompts/list', 'prompts')).prompts as Prompt[];
  return pick(prompts, name, 'prompt');
}

function pick<T extends { name: string }>(items: readonly T[], name: string, kind: string): T {
  const found = items.find((item) => item.name === name);
  if (found) return found;
  const names = items.map((item) => item.name);
  throw new UserError(`the server has no ${kind} "${name}"`, { hint: names.length ? `its ${kind}s: ${names.join(', ')}` : `it offers no ${kind}s` });
}
