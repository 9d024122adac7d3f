import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import { repoRoot } from '../helpers/serve.js';

export { runCli as mcpctl, tempDir } from '../helpers/cli.js';

/** The full template's server, served from its source (mcpctl serve runs .ts modules), no npm install needed. */
export const templateServer = join(repoRoot, 'templates/full/src/server.ts');
export const variantServer = fileURLToPath(new URL('./variant-server.mjs', import.meta.url));
export const hangingServer = fileURLToPath(new URL('./hanging-server.mjs', import.meta.url));

/** A loopback port nobody listens on (bound, then released). */
export { freePort as deadPort } from '../helpers/ports.js';
