// npm run bench: the gateway against the bare SDK server, in one run, on this machine.
// Every row serves the same echo tool (bench/servers/echo.mjs). Rounds interleave the rows and each figure is the
// median over rounds. "CPU/call" is the server's CPU time (process tree: gateway + child) per call.
//   node bench/gateway.mjs [--rounds 3] [--n 2000] [--c 16] [--warmup 2000] [--only <substring>] [--json]
import { connect, measure } from './lib/load.mjs';
import { cpuMs, processTree } from './lib/proc.mjs';
import { freePort, root, startProcess, waitForHttp } from './lib/servers.mjs';
import { featureRows } from './rows.mjs';
import { flag, median, option } from './lib/args.mjs';

const rounds = Number(option('rounds', 3));
const n = Number(option('n', 2000));
const c = Number(option('c', 16));
// Calls before measuring: without them a row's figures are mostly its JIT warming up (a cold in-process row uses
// twice the CPU per call of a warm one), and rows with more code (tracing) pay more of it.
const warmup = Number(option('warmup', 2000));
const only = option('only', undefined);

const node = process.execPath;
const echo = `${root}bench/servers/echo.mjs`;
const mcpctl = `${root}bin/mcpctl.js`;
const servingOn = /serving on (http:\/\/[^\s"]+)/;

/** Starts `mcpctl serve <args>` over HTTP on a free port. */
export async function serveHttp(args, env) {
  const server = await startProcess([node, mcpctl, 'serve', '--transport', 'http', '--port', '0', '--log', 'json', ...args], { ready: servingOn, env });
  return { url: server.match[1], pid: server.pid, stop: server.stop };
}

const baseRows = [
  {
    name: 'bare SDK, HTTP',
    async start() {
      const server = await startProcess([node, `${root}bench/servers/bare-http.mjs`], { ready: /listening on (\S+)/ });
      return { url: server.match[1], pid: server.pid, stop: server.stop };
    },
  },
  {
    name: 'bare SDK, HTTP (JSON answers)',
    baseline: 'bare SDK, HTTP',
    async start() {
      const server = await startProcess([node, `${root}bench/servers/bare-http.mjs`, '--json'], { ready: /listening on (\S+)/ });
      return { url: server.match[1], pid: server.pid, stop: server.stop };
    },
  },
  { name: 'mcpctl in-process, HTTP', baseline: 'bare SDK, HTTP', start: () => serveHttp([echo]) },
  { name: 'mcpctl child, HTTP', baseline: 'bare SDK, HTTP', start: () => serveHttp(['--', node, echo]) },
  {
    name: 'supergateway (peer), HTTP',
    baseline: 'bare SDK, HTTP',
    async start() {
      const port = await freePort();
      const server = await startProcess(
        [node, `${root}node_modules/supergateway/dist/index.js`, '--stdio', `${node} ${echo}`, '--outputTransport', 'streamableHttp', '--stateful', '--port', String(port), '--logLevel', 'none'],
        { ready: undefined },
      );
      const url = `http://127.0.0.1:${port}/mcp`;
      await waitForHttp(url);
      return { url, pid: server.pid, stop: server.stop };
    },
  },
  {
    name: 'mcp-proxy (peer), HTTP',
    baseline: 'bare SDK, HTTP',
    async start() {
      const port = await freePort();
      const server = await startProcess([node, `${root}node_modules/mcp-proxy/dist/bin/mcp-proxy.mjs`, '--port', String(port), '--host', '127.0.0.1', '--server', 'stream', node, echo], { ready: undefined });
      const url = `http://127.0.0.1:${port}/mcp`;
      await waitForHttp(url);
      return { url, pid: server.pid, stop: server.stop };
    },
  },
  { name: 'bare SDK, stdio', stdio: [node, echo] },
  { name: 'mcpctl in-process, stdio', baseline: 'bare SDK, stdio', stdio: [node, mcpctl, 'serve', echo, '--log', 'json'] },
  { name: 'mcpctl child, stdio', baseline: 'bare SDK, stdio', stdio: [node, mcpctl, 'serve', '--log', 'json', '--', node, echo] },
];

const allRows = [...baseRows, ...featureRows({ serveHttp, echo })];
// With --only, keep the selected rows and the rows they compare against.
const baselines = new Set(allRows.filter((row) => only && row.name.includes(only)).map((row) => row.baseline));
const rows = allRows.filter((row) => !only || row.name.includes(only) || baselines.has(row.name));

async function runRow(row) {
  const setup = row.setup ? await row.setup() : {};
  let server;
  let client;
  try {
    server = row.stdio ? undefined : await row.start();
    const target = row.stdio ? { command: row.stdio, env: { ...row.env, ...setup.env } } : { url: server.url, token: setup.token ?? server.token };
    const connection = await connect(target);
    client = connection.client;
    const pid = server?.pid ?? connection.pid;
    let before = 0;
    let cpu = 0;
    const result = await measure(client, {
      warmup,
      sequential: Math.min(n, 1000),
      concurrent: n,
      c,
      onPhase: (phase) => {
        const used = cpuMs(processTree(pid));
        if (phase === 'start') before = used;
        else cpu = used - before;
      },
    });
    return { ...result, cpuUsPerCall: (cpu * 1000) / (Math.min(n, 1000) + n) };
  } finally {
    // A failed row must not leave its server (or its redis-server) running.
    await client?.close().catch(() => {});
    await server?.stop();
    await setup.cleanup?.();
  }
}


const samples = new Map(rows.map((row) => [row.name, []]));
for (let round = 1; round <= rounds; round++) {
  for (const row of rows) {
    process.stderr.write(`round ${round}/${rounds}: ${row.name}…\n`);
    try {
      samples.get(row.name).push(await runRow(row));
    } catch (error) {
      process.stderr.write(`  failed: ${error.message.split('\n')[0]}\n`);
    }
  }
}

const results = new Map();
for (const row of rows) {
  const runs = samples.get(row.name);
  if (runs.length === 0) continue;
  results.set(row.name, {
    p50: median(runs.map((run) => run.p50)),
    p99: median(runs.map((run) => run.p99)),
    rps: median(runs.map((run) => run.rps)),
    cpu: median(runs.map((run) => run.cpuUsPerCall)),
    errors: runs.reduce((sum, run) => sum + run.errors, 0),
  });
}

const ratio = (value, base) => (base ? (value / base).toFixed(2) + 'x' : '');
const table = [['row', 'p50 ms', 'p99 ms', 'req/s @' + c, 'CPU µs/call', 'p50 vs base', 'req/s vs base', 'CPU vs base', 'baseline', 'errors']];
for (const row of rows) {
  const result = results.get(row.name);
  if (!result) {
    table.push([row.name, 'failed']);
    continue;
  }
  const base = row.baseline ? results.get(row.baseline) : undefined;
  table.push([
    row.name,
    result.p50.toFixed(3),
    result.p99.toFixed(3),
    Math.round(result.rps).toString(),
    Math.round(result.cpu).toString(),
    ratio(result.p50, base?.p50),
    ratio(result.rps, base?.rps),
    ratio(result.cpu, base?.cpu),
    row.baseline ?? '',
    String(result.errors),
  ]);
}

if (flag('json')) {
  console.log(JSON.stringify({ rounds, n, c, results: Object.fromEntries(results) }, null, 2));
} else {
  const widths = table[0].map((_, column) => Math.max(...table.map((line) => (line[column] ?? '').length)));
  console.log(`\nmcpctl gateway benchmark: ${rounds} rounds (medians), ${warmup} warm-up + ${Math.min(n, 1000)} sequential + ${n} concurrent calls (c=${c}) per round, node ${process.version}\n`);
  for (const line of table) console.log(line.map((cell, column) => (cell ?? '').padEnd(widths[column])).join('  '));
  console.log('\nTargets:');
  for (const check of checks()) console.log(`  ${check.ok === undefined ? '?   ' : check.ok ? 'PASS' : 'MISS'}  ${check.text}`);
}

function checks() {
  const get = (name) => results.get(name);
  const list = [];
  const add = (text, compute) => {
    try {
      list.push({ text, ok: compute() });
    } catch {
      list.push({ text, ok: undefined });
    }
  };
  const bare = get('bare SDK, HTTP');
  const inProcess = get('mcpctl in-process, HTTP');
  const child = get('mcpctl child, HTTP');
  const peers = ['supergateway (peer), HTTP', 'mcp-proxy (peer), HTTP'].map(get).filter(Boolean);
  add('in-process HTTP throughput >= 0.9x bare', () => inProcess.rps >= 0.9 * bare.rps);
  add('in-process HTTP p50 <= 1.1x bare', () => inProcess.p50 <= 1.1 * bare.p50);
  add('in-process HTTP CPU/call <= 1.0x bare', () => inProcess.cpu <= bare.cpu);
  add('child HTTP CPU/call <= 2/3 of the cheaper peer', () => child.cpu <= (2 / 3) * Math.min(...peers.map((peer) => peer.cpu)));
  add('child HTTP throughput >= the better peer', () => child.rps >= Math.max(...peers.map((peer) => peer.rps)));
  for (const row of rows) {
    for (const target of row.targets ?? []) {
      add(`${row.name}: ${target.metric} <= ${target.max}x ${target.vs}`, () => get(row.name)[target.metric] <= target.max * get(target.vs)[target.metric]);
    }
  }
  return list;
}
