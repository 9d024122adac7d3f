import { UserError } from '../errors.js';

/** A step into a JSON value: a key, an index, any one step ("*"), or any number of steps ("**", from ".."). */
export type Step = string | number | typeof anyStep | typeof anyDepth;
export const anyStep = Symbol('*');
export const anyDepth = Symbol('**');

/**
 * Parses a path into the answer of a call, JSONPath-like: `result.content[0].text`, `$.result._meta`,
 * `result.content[*].text`, `$..timestamp` (any depth), `result["odd key"]`. The leading `$` is optional.
 */
export function parsePath(text: string): Step[] {
  const steps: Step[] = [];
  let rest = text.trim().replace(/^\$/, '');
  if (rest !== '' && !/^(\.|\[)/.test(rest)) rest = `.${rest}`;
  while (rest !== '') {
    const match =
      /^\.\.([A-Za-z_$][\w$-]*|\*)/.exec(rest) ?? /^\.([A-Za-z_$][\w$-]*|\*)/.exec(rest) ?? /^\[(\d+|\*)\]/.exec(rest) ?? /^\[("(?:[^"\\]|\\.)*")\]/.exec(rest);
    if (!match) throw new UserError(`cannot read the path "${text}" at "${rest}"`, { hint: 'paths look like result.content[0].text, result.content[*].text or $..timestamp' });
    const token = match[1]!;
    if (match[0].startsWith('..')) steps.push(anyDepth);
    if (token === '*') steps.push(anyStep);
    else if (match[0].startsWith('[') && /^\d+$/.test(token)) steps.push(Number(token));
    else steps.push(token.startsWith('"') ? (JSON.parse(token) as string) : token);
    rest = rest.slice(match[0].length);
  }
  return steps;
}

/** Whether a concrete path (keys and indexes) is one the pattern names. */
export function pathMatches(pattern: readonly Step[], path: readonly (string | number)[]): boolean {
  if (pattern.length === 0) return path.length === 0;
  const [head, ...tail] = pattern;
  if (head === anyDepth) return pathMatches(tail, path) || (path.length > 0 && pathMatches(pattern, path.slice(1)));
  if (path.length === 0) return false;
  return (head === anyStep || head === path[0] || String(head) === String(path[0])) && pathMatches(tail, path.slice(1));
}

/** The value at a concrete path (no wildcards), or undefined when the path leads nowhere. */
export function valueAt(root: unknown, steps: readonly Step[], text: string): unknown {
  let current = root;
  for (const step of steps) {
    if (typeof step === 'symbol') throw new UserError(`"${text}": wildcards only work in --ignore paths`);
    if (typeof current !== 'object' || current === null) return undefined;
    current = (current as Record<string | number, unknown>)[step];
  }
  return current;
}

/** A concrete path as people read it: result.content[0].text */
export function formatPath(path: readonly (string | number)[]): string {
  return path.reduce<string>((text, step) => (typeof step === 'number' ? `${text}[${step}]` : /^[A-Za-z_$][\w$-]*$/.test(step) ? (text ? `${text}.${step}` : step) : `${text}[${JSON.stringify(step)}]`), '') || '$';
}
