// Tracing row for npm run bench: the in-process HTTP row with every call traced to Langfuse (the real SDK span
// processor and OTLP exporter), received by a loopback OTLP/HTTP endpoint in this process that only says 200.
import { createServer } from 'node:http';

const plain = 'mcpctl in-process, HTTP';

export function tracingRows({ serveHttp, echo }) {
  let baseUrl;
  return [
    {
      name: `${plain} + tracing (receiver on loopback)`,
      baseline: plain,
      async setup() {
        const receiver = createServer((req, res) => {
          req.resume();
          req.on('end', () => res.writeHead(200, { 'content-type': 'application/json' }).end('{}'));
        });
        await new Promise((resolve) => receiver.listen(0, '127.0.0.1', resolve));
        baseUrl = `http://127.0.0.1:${receiver.address().port}`;
        return { cleanup: () => new Promise((resolve) => receiver.close(resolve)) };
      },
      start: () => serveHttp([echo], { LANGFUSE_PUBLIC_KEY: 'pk-lf-bench', LANGFUSE_SECRET_KEY: 'sk-lf-bench', LANGFUSE_BASE_URL: baseUrl }),
      targets: [{ metric: 'cpu', vs: plain, max: 1.15 }],
    },
  ];
}
