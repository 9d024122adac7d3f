// Load generation with the real SDK client: sequential latency, then throughput at a given concurrency.
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { EventEmitter } from 'node:events';

// The SDK client's transport leaves an abort listener on its one AbortSignal per request: a client-side
// matter that only costs the load generator, so no warning per call (0 = no limit).
EventEmitter.defaultMaxListeners = 0;

export async function connect(target) {
  const client = new Client({ name: 'bench', version: '1.0.0' });
  const transport = target.url
    ? new StreamableHTTPClientTransport(new URL(target.url), target.token ? { requestInit: { headers: { Authorization: `Bearer ${target.token}` } } } : {})
    : new StdioClientTransport({ command: target.command[0], args: target.command.slice(1), env: { ...process.env, ...target.env }, stderr: 'ignore' });
  await client.connect(transport);
  return { client, pid: transport.pid ?? undefined };
}

const percentile = (sorted, p) => sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))];

/**
 * Runs `warmup` calls unmeasured (the server's JIT settles: a server runs for hours, not for its first calls), then
 * `sequential` calls one by one and `concurrent` calls `c` at a time; measures between the phases' ends.
 */
export async function measure(client, { warmup = 50, sequential, concurrent, c, onPhase }) {
  let errors = 0;
  const call = async () => {
    try {
      const result = await client.callTool({ name: 'echo', arguments: { message: 'hi' } });
      if (result.isError) errors++;
    } catch {
      errors++;
    }
  };
  for (let i = 0; i < warmup; i++) await call();
  onPhase?.('start');
  const latencies = [];
  for (let i = 0; i < sequential; i++) {
    const started = performance.now();
    await call();
    latencies.push(performance.now() - started);
  }
  latencies.sort((a, b) => a - b);
  let next = 0;
  const started = performance.now();
  await Promise.all(Array.from({ length: c }, async () => {
    while (next++ < concurrent) await call();
  }));
  const seconds = (performance.now() - started) / 1000;
  onPhase?.('end');
  return { p50: percentile(latencies, 0.5), p99: percentile(latencies, 0.99), rps: concurrent / seconds, errors };
}
