import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import { repoRoot } from '../helpers/serve.js';

export { runCli as mcpctl, tempDir } from '../scaffold/run-cli.js';

/** The full template's server, served from its source (mcpctl serve runs .ts modules), no npm install needed. */
export const templateServer = join(repoRoot, 'templates/full/src/server.ts');
export const variantServer = fileURLToPath(new URL('./variant-server.mjs', import.meta.url));
export const hangingServer = fileURLToPath(new URL('./hanging-server.mjs', import.meta.url));

/** A loopback port nobody listens on (bound, then released). */
export function deadPort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
    server.once('error', reject);
  });
}
