import { describe, expect, it } from 'vitest';
import { createLogger, type LogFormat } from '../../src/log.js';
import { openSession, post } from '../helpers/http.js';
import { connectHttp, echoServer, startServe } from '../helpers/serve.js';

/** Raw control characters and Unicode line breaks: none may reach a log line. */
const raw = /[\p{Cc}\u2028\u2029]/u;

/** Whatever a client may put in a method, a tool name or any other logged string. */
const forged = 'tools/list\nmcpctl: forged\r\u001b[2J\u007f\u009b\u2028\u2029 end';

function lineOf(format: LogFormat, message: string, fields: Record<string, unknown>): string {
  let written = '';
  createLogger({ format, write: (line) => (written += line) }).info(message, fields);
  expect(written.endsWith('\n')).toBe(true);
  const line = written.slice(0, -1);
  expect(line).not.toMatch(raw);
  return line;
}

describe('log lines escape control characters', () => {
  it('text: in the message and in field values, as JSON escapes, on one line', () => {
    expect(lineOf('text', forged, { target: forged, plain: 'echo', esc: 'a\u001bb' })).toBe(
      'mcpctl: tools/list\\nmcpctl: forged\\r\\u001b[2J\\u007f\\u009b\\u2028\\u2029 end ' +
        'target="tools/list\\nmcpctl: forged\\r\\u001b[2J\\u007f\\u009b\\u2028\\u2029 end" plain=echo esc="a\\u001bb"',
    );
  });

  it('json: one valid object per line, holding the strings as they were', () => {
    expect(JSON.parse(lineOf('json', forged, { target: forged }))).toMatchObject({ level: 'info', msg: forged, target: forged });
  });
});

describe('a client cannot forge a line in serve\'s request log', () => {
  /** Sends requests whose method and tool name hold line breaks and escapes, then an honest call from another client. */
  async function forgeAgainst(url: string): Promise<void> {
    const session = { 'mcp-session-id': await openSession(url) };
    const method = await post(url, { jsonrpc: '2.0', id: 2, method: forged, params: {} }, session);
    expect(method.json).toMatchObject({ id: 2, error: { code: -32601 } });
    const tool = await post(url, { jsonrpc: '2.0', id: 3, method: 'tools/call', params: { name: forged, arguments: {} } }, session);
    expect(tool.json).toMatchObject({ id: 3, result: { isError: true } });
    const honest = await connectHttp(url);
    expect((await honest.callTool({ name: 'echo', arguments: { message: 'honest' } })).content).toEqual([{ type: 'text', text: 'honest' }]);
    await honest.close();
  }

  it('--log text: no line starts with the forged text, and no raw control character reaches stderr', async () => {
    const serve = await startServe([echoServer]);
    try {
      await forgeAgainst(serve.url);
    } finally {
      expect(await serve.stop()).toBe(0);
    }
    const lines = serve.stderr().trim().split('\n');
    expect(lines.filter((line) => raw.test(line) || !line.startsWith('mcpctl'))).toEqual([]);
    expect(lines.filter((line) => line.startsWith('mcpctl: forged'))).toEqual([]);
    expect(lines.find((line) => line.startsWith('mcpctl warn: tools/list\\nmcpctl: forged\\r\\u001b[2J'))).toMatch(/outcome="error -32601"/);
    expect(lines.find((line) => line.includes('target="tools/list\\nmcpctl: forged'))).toMatch(/^mcpctl: tools\/call .*outcome=tool-error/);
  });

  it('--log json: every line is one JSON object, and the forged method is one string in one of them', async () => {
    const serve = await startServe([echoServer, '--log', 'json']);
    // startServe reads the URL from a text line; in a JSON line it runs on into the closing quote.
    const url = serve.url.split('"')[0]!;
    try {
      await forgeAgainst(url);
    } finally {
      expect(await serve.stop()).toBe(0);
    }
    const lines = serve.stderr().trim().split('\n');
    expect(lines.filter((line) => raw.test(line))).toEqual([]);
    const entries = lines.map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(entries.find((entry) => entry.msg === forged)).toMatchObject({ level: 'warn', outcome: 'error -32601' });
    expect(entries.find((entry) => entry.target === forged)).toMatchObject({ msg: 'tools/call', outcome: 'tool-error' });
  });
});
