// Tracing rows for npm run bench: the in-process HTTP row with every call traced to Langfuse (the real SDK span
// processor, on the export thread), received by a loopback OTLP/HTTP endpoint in a process of its own that only
// says 200; and the same with --trace-sample 0.1.
import { root, startProcess } from './lib/servers.mjs';

const plain = 'mcpctl in-process, HTTP';

export function tracingRows({ serveHttp, echo }) {
  let baseUrl;
  const receiver = async () => {
    const server = await startProcess([process.execPath, `${root}bench/servers/ok-receiver.mjs`], { ready: /listening on (\d+)/ });
    baseUrl = `http://127.0.0.1:${server.match[1]}`;
    return { cleanup: () => server.stop() };
  };
  const traced = (args) => serveHttp([echo, ...args], { LANGFUSE_PUBLIC_KEY: 'pk-lf-bench', LANGFUSE_SECRET_KEY: 'sk-lf-bench', LANGFUSE_BASE_URL: baseUrl });
  return [
    { name: `${plain} + tracing (receiver on loopback)`, baseline: plain, setup: receiver, start: () => traced([]), targets: [{ metric: 'cpu', vs: plain, max: 1.15 }] },
    { name: `${plain} + tracing, --trace-sample 0.1`, baseline: plain, setup: receiver, start: () => traced(['--trace-sample', '0.1']), targets: [{ metric: 'cpu', vs: plain, max: 1.15 }] },
  ];
}
