// npm run bench:tracing: what tracing's export path costs per span, apart from any server: span records go through
// a real SpanChannel (export thread, OpenTelemetry SDK, Langfuse's span processor, OTLP/HTTP JSON) to a receiver
// in another process, at a steady rate. This process's CPU time (every thread) per span is compared with the
// same loop whose records go nowhere: the difference is the export path.
//   node bench/tracing-export.mjs [--rounds 3] [--spans 30000] [--rate 3000]
import { readFileSync } from 'node:fs';
import { startProcess, root } from './lib/servers.mjs';
import { median, option } from './lib/args.mjs';

const rounds = Number(option('rounds', 3));
const spans = Number(option('spans', 30000));
const rate = Number(option('rate', 3000));

const { SpanChannel } = await import(`${root}dist/tracing/span-channel.js`);
const { spanRecord } = await import(`${root}dist/tracing/span-record.js`);
const { newSpanId, newTraceId } = await import(`${root}dist/tracing/span-ids.js`);
const { createLogger } = await import(`${root}dist/log.js`);

/** CPU milliseconds of this process so far, all threads (user + system). */
function cpuMs() {
  const stat = readFileSync('/proc/self/stat', 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) * 10;
}

// What the trace middleware records for an echo call, as in npm run bench's tracing row.
const identity = { user: 'alice', session: 'b3c1a2f0-1111-2222-3333-444455556666', clientAddress: '127.0.0.1' };
const parent = { traceId: newTraceId(), spanId: newSpanId(), traceFlags: 1, isRemote: false, traceState: undefined };
const echoCall = (id) =>
  spanRecord({ name: 'tools/call echo', kind: 1, traceId: parent.traceId, spanId: newSpanId(), parent, start: Date.now() - 0.3 }, Date.now(), identity, {
    method: 'tools/call',
    requestId: String(id),
    target: 'echo',
    input: '{"message":"hi"}',
    output: '{"content":[{"type":"text","text":"hi"}]}',
    outcome: 'ok',
  });

/** Feeds `spans` records to `sink` at `rate` per second (a batch every 10 ms); CPU µs per span. */
async function feed(sink) {
  const perTick = Math.max(1, Math.round(rate / 100));
  const before = cpuMs();
  for (let id = 0; id < spans; ) {
    for (let k = 0; k < perTick && id < spans; k++) sink(echoCall(id++));
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  return ((cpuMs() - before) * 1000) / spans;
}

const receiver = await startProcess([process.execPath, `${root}bench/servers/ok-receiver.mjs`], { ready: /listening on (\d+)/ });
const langfuse = { publicKey: 'pk-lf-bench', secretKey: 'sk-lf-bench', baseUrl: `http://127.0.0.1:${receiver.match[1]}` };
const results = [];
try {
  for (let round = 1; round <= rounds; round++) {
    process.stderr.write(`round ${round}/${rounds}…\n`);
    const idle = await feed(() => {});
    const channel = new SpanChannel({ langfuse, otlpUrl: undefined, exportTimeoutMs: 5000, flushBoundMs: 6000 }, createLogger());
    await channel.ready;
    const traced = await feed(channel.send);
    await channel.close();
    results.push(traced - idle);
  }
} finally {
  await receiver.stop();
}
console.log(`\ntracing export path, ${spans} echo-call spans at ${rate}/s to Langfuse's OTLP endpoint (loopback), ${rounds} rounds, node ${process.version}`);
console.log(`CPU per span (all threads of this process): ${median(results).toFixed(1)} µs median (${results.map((value) => value.toFixed(1)).join(', ')})`);
