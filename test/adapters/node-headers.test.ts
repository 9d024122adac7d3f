import { createServer, type IncomingMessage } from 'node:http';
import { connect } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NodeHeaders } from '../../src/adapters/node-headers.js';

let server: ReturnType<typeof createServer>;
let port: number;
let nextRequest: ((req: IncomingMessage) => void) | undefined;
beforeAll(async () => {
  server = createServer((req, res) => {
    nextRequest?.(req);
    res.end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  port = (server.address() as { port: number }).port;
});
afterAll(() => new Promise((resolve) => server.close(resolve)));

/** The header lines as node:http parses them off a socket, and as a Web runtime holds them (undici's Headers). */
async function both(lines: string[]): Promise<{ node: NodeHeaders; web: Headers }> {
  const received = new Promise<IncomingMessage>((resolve) => (nextRequest = resolve));
  const socket = connect(port, '127.0.0.1');
  const head = lines.reduce((text, line, index) => (index % 2 === 0 ? `${text}${line}: ${lines[index + 1]}\r\n` : text), '');
  socket.end(`GET / HTTP/1.1\r\n${head}Connection: close\r\n\r\n`);
  socket.resume();
  const req = await received;
  const web = new Headers();
  for (let index = 0; index < req.rawHeaders.length; index += 2) web.append(req.rawHeaders[index]!, req.rawHeaders[index + 1]!);
  return { node: new NodeHeaders(req), web };
}

const raw = [
  'Host', '127.0.0.1:8080',
  'Content-Type', 'application/json',
  'Authorization', 'Bearer a',
  'authorization', 'Bearer b',
  'Accept', 'application/json',
  'ACCEPT', 'text/event-stream',
  'X-Empty', '',
  'Set-Cookie', 'a=1',
  'set-cookie', 'b=2',
  'traceparent', '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01',
];

describe('NodeHeaders: a request\'s headers as Web Headers, read from node:http', () => {
  it('answers get and has as Headers do: any case, repeated headers joined, empty values kept', async () => {
    const { node, web } = await both(raw);
    for (const name of ['host', 'HOST', 'content-type', 'authorization', 'Accept', 'x-empty', 'set-cookie', 'traceparent', 'origin', 'mcp-session-id']) {
      expect(node.get(name), name).toBe(web.get(name));
      expect(node.has(name), name).toBe(web.has(name));
    }
    expect(node.get('authorization')).toBe('Bearer a, Bearer b');
  });

  it('iterates as Headers do: sorted lowercase names, set-cookie one by one', async () => {
    const { node, web } = await both(raw);
    expect([...node]).toEqual([...web]);
    expect([...node.entries()]).toEqual([...web.entries()]);
    expect([...node.keys()]).toEqual([...web.keys()]);
    expect([...node.values()]).toEqual([...web.values()]);
    expect(node.getSetCookie()).toEqual(web.getSetCookie());
    const seen: string[] = [];
    node.forEach((value, key) => seen.push(`${key}=${value}`));
    expect(seen).toEqual([...web].map(([key, value]) => `${key}=${value}`));
    expect(new Headers(node).get('accept')).toBe('application/json, text/event-stream');
  });

  it('counts a header sent twice, which the joined value hides, and cannot be changed', async () => {
    const { node } = await both(raw);
    expect(node.count('Authorization')).toBe(2);
    expect(node.count('host')).toBe(1);
    expect(node.count('origin')).toBe(0);
    expect(() => node.set('host', 'evil.example')).toThrow(TypeError);
    expect(() => node.append('x', 'y')).toThrow(TypeError);
    expect(() => node.delete('host')).toThrow(TypeError);
    expect(node.get('host')).toBe('127.0.0.1:8080');
  });
});
