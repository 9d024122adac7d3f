// Rate-limit rows for npm run bench: the in-process HTTP row with a budget it never reaches (so every call is
// checked and admitted), with buckets in memory and in a redis-server started for the row on a free port.
import { freePort, startProcess } from './lib/servers.mjs';

const plain = 'mcpctl in-process, HTTP';
const neverReached = ['--rate-limit', '1000000/s', '--tool-rate-limit', 'echo=1000000/s'];

export function rateLimitRows({ serveHttp, echo }) {
  let redisUrl;
  return [
    {
      name: `${plain} + rate limit (memory)`,
      baseline: plain,
      start: () => serveHttp([echo, ...neverReached]),
      targets: [{ metric: 'cpu', vs: plain, max: 1.02 }],
    },
    {
      name: `${plain} + rate limit (Redis)`,
      baseline: plain,
      async setup() {
        const port = await freePort();
        const redis = await startProcess(['redis-server', '--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], { ready: /Ready to accept connections/ });
        redisUrl = `redis://127.0.0.1:${port}/0`;
        return { cleanup: redis.stop };
      },
      start: () => serveHttp([echo, ...neverReached, '--redis', redisUrl]),
    },
  ];
}
