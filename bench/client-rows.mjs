// bench:cli rows for the client commands: `mcpctl call` of one tool on a stdio server, against a bare SDK client
// script doing the same (target <= 1.0x) and against the MCP Inspector's CLI mode (target <= 0.8x).
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const sdkCall = fileURLToPath(new URL('./clients/sdk-call.mjs', import.meta.url));
const echo = fileURLToPath(new URL('../test/fixtures/echo-server.mjs', import.meta.url));

export function clientRows({ node, mcpctl }) {
  const server = [node, echo];
  const inspector = inspectorCli();
  const inspectorRow = 'inspector --cli: call echo (stdio)';
  return [
    { name: 'sdk client: call echo (stdio)', argv: [node, sdkCall, 'echo', '{"message":"hi"}', '--', ...server] },
    { name: 'mcpctl call echo (stdio)', argv: [node, mcpctl, 'call', 'echo', 'message=hi', '--', ...server], baseline: 'sdk client: call echo (stdio)', target: 1.0 },
    { name: inspectorRow, argv: [node, inspector.bin, '--cli', ...server, '--method', 'tools/call', '--tool-name', 'echo', '--tool-arg', 'message=hi'], skip: inspector.skip },
    { name: 'mcpctl call echo (stdio), vs inspector', argv: [node, mcpctl, 'call', 'echo', 'message=hi', '--', ...server], baseline: inspectorRow, target: 0.8 },
  ];
}

/**
 * The Inspector is a devDependency pinned at 0.15.0: its releases from 0.16 on need Node >= 22. Where the installed
 * copy's engines exclude this Node, the row says why it did not run.
 */
function inspectorCli() {
  let manifestPath;
  try {
    manifestPath = createRequire(import.meta.url).resolve('@modelcontextprotocol/inspector/package.json');
  } catch {
    return { bin: '', skip: 'not installed (0.16+ needs Node >= 22; 0.15.0 is the last without that engines field)' };
  }
  const manifest = JSON.parse(readFileSync(manifestPath, 'utf8'));
  const minimum = /(\d+)\.(\d+)/.exec(manifest.engines?.node ?? '');
  const [major, minor] = process.versions.node.split('.').map(Number);
  if (minimum && (major < Number(minimum[1]) || (major === Number(minimum[1]) && minor < Number(minimum[2])))) {
    return { bin: '', skip: `needs Node ${manifest.engines.node}, this is ${process.version}` };
  }
  const bin = typeof manifest.bin === 'string' ? manifest.bin : Object.values(manifest.bin ?? {})[0];
  return { bin: join(dirname(manifestPath), bin), skip: undefined };
}
