import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { jwksOf, type TestKey } from './helpers.js';

export interface IdpStub {
  /** The JWKS URL. */
  url: string;
  /** Publishes these keys from now on (a rotation), and brings the stub back up. */
  publish(...keys: TestKey[]): void;
  /** Every further fetch fails: "503" answers with an error, "reset" drops the connection. */
  goDown(how: '503' | 'reset'): void;
  /** Requests received so far, failed ones included. */
  fetches(): number;
  close(): Promise<void>;
}

/** A loopback identity provider serving a JWKS, counting every fetch. */
export async function startIdp(...keys: TestKey[]): Promise<IdpStub> {
  let published = keys;
  let down: '503' | 'reset' | undefined;
  let fetches = 0;
  const server = createServer((req, res) => {
    fetches++;
    if (down === 'reset') return void req.socket.destroy();
    if (down === '503') return void res.writeHead(503).end('down');
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(jwksOf(...published)));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/.well-known/jwks.json`,
    publish(...next) {
      published = next;
      down = undefined;
    },
    goDown(how) {
      down = how;
    },
    fetches: () => fetches,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
