import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { afterAll, describe, expect, it } from 'vitest';
import { freePort } from '../helpers/ports.js';
import { connectHttp, echoServer, startServe, type RunningServe } from '../helpers/serve.js';
import { startReceiver, type OtlpReceiver } from './helpers/otlp-receiver.js';

const keys = { LANGFUSE_PUBLIC_KEY: 'pk-lf-faults', LANGFUSE_SECRET_KEY: 'sk-lf-faults' };
/** One span per export: the most traffic a backend can be asked to take, so its faults show at once. */
const everySpan = { LANGFUSE_FLUSH_AT: '1' };


/** Median latency of sequential echo calls, after a warm-up. */
async function medianMs(client: Client, calls = 40): Promise<number> {
  for (let i = 0; i < 5; i++) await client.callTool({ name: 'echo', arguments: { message: 'warm' } });
  const times: number[] = [];
  for (let i = 0; i < calls; i++) {
    const started = performance.now();
    await client.callTool({ name: 'echo', arguments: { message: `call ${i}` } });
    times.push(performance.now() - started);
  }
  return times.sort((a, b) => a - b)[Math.floor(calls / 2)]!;
}

async function timedStop(serve: RunningServe): Promise<{ code: number | null; ms: number }> {
  const started = performance.now();
  const code = await serve.stop();
  return { code, ms: performance.now() - started };
}

describe('a tracing backend that is down, hangs or refuses costs calls nothing', () => {
  const cleanup: (() => Promise<unknown>)[] = [];
  afterAll(async () => {
    await Promise.all(cleanup.map((step) => step()));
  });

  it('keeps call latency with the backend hanging or down, and shuts down within the flush bound', async () => {
    const hanging = await startReceiver('hang');
    cleanup.push(() => hanging.close());
    const downUrl = `http://127.0.0.1:${await freePort()}`;
    const [off, hang, down, stuck] = await Promise.all([
      startServe([echoServer]),
      startServe([echoServer], { env: { ...keys, ...everySpan, LANGFUSE_BASE_URL: hanging.url } }),
      startServe([echoServer], { env: { ...keys, ...everySpan, LANGFUSE_BASE_URL: downUrl } }),
      // Default batching: the spans wait in the queue until shutdown, whose flush then meets the hanging backend.
      startServe([echoServer], { env: { ...keys, LANGFUSE_BASE_URL: hanging.url } }),
    ]);
    cleanup.push(() => off.stop(), () => hang.stop(), () => down.stop(), () => stuck.stop());
    const clients = await Promise.all([off, hang, down, stuck].map((serve) => connectHttp(serve.url)));
    const [offMs, hangMs, downMs] = [await medianMs(clients[0]!), await medianMs(clients[1]!), await medianMs(clients[2]!)];
    // Generous: the point is that no call waits for an export (that would be seconds: the export timeout).
    expect(hangMs).toBeLessThan(offMs * 3 + 10);
    expect(downMs).toBeLessThan(offMs * 3 + 10);
    expect(hanging.requests.length).toBeGreaterThan(0);
    await clients[3]!.callTool({ name: 'echo', arguments: { message: 'queued' } });
    await Promise.all(clients.map((client) => client.close()));

    const stops = await Promise.all([timedStop(hang), timedStop(down), timedStop(stuck)]);
    for (const [index, serve] of [hang, down, stuck].entries()) {
      expect(stops[index]!.code).toBe(0);
      // The flush bound is 6 s; the rest is margin for a loaded machine.
      expect(stops[index]!.ms).toBeLessThan(10_000);
      const stderr = serve.stderr();
      expect(stderr.match(/dropping spans/g)).toHaveLength(1);
      expect(stderr).toMatch(/tracing: (\d+) of \1 spans were not delivered to Langfuse at http:\/\/127\.0\.0\.1:\d+/);
      expect(stderr).not.toMatch(/unhandled|uncaught|\n\s+at /i);
    }
    expect(await off.stop()).toBe(0);
  });

  it('reports a refusing backend once, with its reason, and counts every undelivered span', async () => {
    const refusing: OtlpReceiver = await startReceiver('refuse');
    cleanup.push(() => refusing.close());
    const serve = await startServe([echoServer], { env: { ...keys, ...everySpan, LANGFUSE_BASE_URL: refusing.url } });
    cleanup.push(() => serve.stop());
    const client = await connectHttp(serve.url);
    for (let i = 0; i < 10; i++) await client.callTool({ name: 'echo', arguments: { message: `call ${i}` } });
    await client.close();
    const until = Date.now() + 10_000;
    while (refusing.requests.length < 3 && Date.now() < until) await new Promise((resolve) => setTimeout(resolve, 20));
    expect(await serve.stop()).toBe(0);
    const stderr = serve.stderr();
    expect(stderr.match(/dropping spans/g)).toHaveLength(1);
    expect(stderr).toMatch(/dropping spans for Langfuse at http:\/\/127\.0\.0\.1:\d+ \(.*Unauthorized.*\); calls are not affected/);
    // 10 calls, initialize and the session span: every one of them accounted for as not delivered.
    expect(stderr).toMatch(/tracing: 12 of 12 spans were not delivered/);
  });
});
