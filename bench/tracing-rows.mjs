// Tracing rows for npm run bench: the in-process HTTP row with every call traced to Langfuse (the real SDK span
// processor; the OTLP exporter on its worker thread), received by a loopback OTLP/HTTP endpoint in this process
// that only says 200; and the same with --trace-sample 0.1.
import { createServer } from 'node:http';

const plain = 'mcpctl in-process, HTTP';

export function tracingRows({ serveHttp, echo }) {
  let baseUrl;
  const receiver = async () => {
    const server = createServer((req, res) => {
      req.resume();
      req.on('end', () => res.writeHead(200, { 'content-type': 'application/json' }).end('{}'));
    });
    await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
    baseUrl = `http://127.0.0.1:${server.address().port}`;
    return { cleanup: () => new Promise((resolve) => server.close(resolve)) };
  };
  const traced = (args) => serveHttp([echo, ...args], { LANGFUSE_PUBLIC_KEY: 'pk-lf-bench', LANGFUSE_SECRET_KEY: 'sk-lf-bench', LANGFUSE_BASE_URL: baseUrl });
  return [
    { name: `${plain} + tracing (receiver on loopback)`, baseline: plain, setup: receiver, start: () => traced([]), targets: [{ metric: 'cpu', vs: plain, max: 1.15 }] },
    { name: `${plain} + tracing, --trace-sample 0.1`, baseline: plain, setup: receiver, start: () => traced(['--trace-sample', '0.1']), targets: [{ metric: 'cpu', vs: plain, max: 1.15 }] },
  ];
}
