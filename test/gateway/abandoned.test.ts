// Requests a client gives up on, or that the server would never answer, leave nothing behind once their deadline
// has passed. In-process, so the test can read the gateway's own heap after a full GC.
import { request } from 'node:http';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createModuleBack } from '../../src/gateway/back/module-back.js';
import { compose } from '../../src/gateway/compose.js';
import { NodeHttpFront } from '../../src/adapters/node-http.js';
import { log } from '../../src/gateway/middleware/log.js';
import { createLogger } from '../../src/log.js';
import { initializeBody, mcpHeaders, post } from '../helpers/http.js';

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;
const hostile = fileURLToPath(new URL('../fixtures/hostile-server.mjs', import.meta.url));
const requestTimeoutMs = 300;

function heapMb(): number {
  gc();
  gc();
  return process.memoryUsage().heapUsed / 2 ** 20;
}

describe('abandoned requests', () => {
  // Requests answered at their deadline, counted from the request log (kept as a count: a heap is measured).
  let expired = 0;
  const logger = createLogger({ write: (line) => void (line.includes('target=hang') && line.includes('outcome="error -32001"') && expired++) });
  let front: NodeHttpFront;
  let url: string;
  beforeAll(async () => {
    const back = await createModuleBack(hostile);
    front = new NodeHttpFront({
      back,
      logger,
      host: '127.0.0.1',
      port: 0,
      path: '/mcp',
      stateless: false,
      maxBodyBytes: 4 * 2 ** 20,
      maxSessions: 10,
      maxSessionsPerCaller: 10,
      idleSessionMs: 60_000,
      bodyTimeoutMs: 30_000,
      limits: { maxMessageBytes: 4 * 2 ** 20, requestTimeoutMs },
      maxBufferedBytes: 8 * 2 ** 20,
      allowOrigins: [],
      allowHosts: [],
    });
    url = await front.listen();
    front.start(compose([log({ logger })]), []);
  });
  afterAll(() => front.stop(1000));

  /** `count` calls that never end, sent 100 to a POST and abandoned at once; and `count` requests with a bad id. */
  async function abandon(session: Record<string, string>, count: number, round: string): Promise<void> {
    for (let batch = 0; batch < count / 100; batch++) {
      const calls = Array.from({ length: 100 }, (_, i) => ({ jsonrpc: '2.0', id: `${round}-${batch}-${i}`, method: 'tools/call', params: { name: 'hang', arguments: {} } }));
      await new Promise<void>((resolve) => {
        const req = request(url, { method: 'POST', headers: { ...mcpHeaders, ...session } });
        req.on('error', () => resolve());
        // Sent whole, then the client hangs up without waiting for the answers.
        req.end(JSON.stringify(calls), () => setTimeout(() => resolve(void req.destroy()), 20));
      });
      const badIds = Array.from({ length: 100 }, () => '{"jsonrpc":"2.0","id":1.5,"method":"tools/call","params":{"name":"hang","arguments":{}}}');
      expect((await post(url, `[${badIds.join(',')}]`, session)).status).toBe(400);
    }
    await new Promise((resolve) => setTimeout(resolve, requestTimeoutMs * 3));
  }

  it('3,000 of them leave the heap within a small bound of where it started', async () => {
    // A 2025-03-26 session, so a POST can carry a batch.
    const init = await post(url, { ...initializeBody, params: { ...initializeBody.params, protocolVersion: '2025-03-26' } });
    const session = { 'mcp-session-id': init.headers.get('mcp-session-id')! };
    await abandon(session, 300, 'warm-up');
    const before = heapMb();
    await abandon(session, 3000, 'measured');
    const after = heapMb();
    expect(after - before).toBeLessThan(3);
    // Each of them reached the server and was answered at its deadline, to a client long gone.
    expect(expired).toBe(3300);
    const alive = await post(url, { jsonrpc: '2.0', id: 'alive', method: 'tools/call', params: { name: 'echo', arguments: { message: 'ok' } } }, session);
    expect(alive.json.result.content[0].text).toBe('ok');
  });
});
