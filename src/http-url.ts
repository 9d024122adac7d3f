import { UserError } from './errors.js';

/** Parses an http(s) URL given by the user (`what` names where it came from), or says in one line why not. */
export function parseHttpUrl(text: string, what: string, example = 'http://127.0.0.1:8080/mcp'): URL {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new UserError(`${what} "${text}" is not a URL`, { hint: `e.g. ${example}` });
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new UserError(`${what} must be an http:// or https:// URL, got "${text}"`, { hint: `e.g. ${example}` });
  return url;
}

/** True for a well-formed http(s) URL. */
export function isHttpUrl(text: string): boolean {
  return /^https?:\/\//i.test(text) && URL.canParse(text);
}

const loopbackNames = new Set(['localhost', '127.0.0.1', '[::1]', '::1']);

/** True for a loopback host: localhost, 127.0.0.0/8, ::1 (bracketed or not). */
export function isLoopback(host: string): boolean {
  return loopbackNames.has(host) || host.startsWith('127.');
}
