import { createRequire } from 'node:module';
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';
import { z } from 'zod';

/** A new server each call: `mcpctl serve` makes one per session, the tests one per test. */
export function createServer(): McpServer {
  const server = new McpServer({ name: 'my-mcp-server', version: '0.1.0' });

  server.registerTool(
    'greet',
    {
      title: 'Greet',
      description: 'Greet someone by name',
      inputSchema: { name: z.string().min(1).describe('who to greet') },
    },
    async ({ name }) => ({ content: [{ type: 'text', text: `Hello, ${name}!` }] }),
  );

  return server;
}

// Executed directly (`node dist/server.js`), serve over stdio; imported (by mcpctl serve or a test), do nothing.
// require.resolve finds the script the way node did (extension, symlinks), so `node dist/server` counts too.
const script = process.argv[1];
if (script !== undefined && createRequire(import.meta.url).resolve(script) === import.meta.filename) {
  await createServer().connect(new StdioServerTransport());
}
