// A small server whose answers change with the environment, for replay tests: VARIANT_PREFIX changes what
// echo says (a "changed server"); clock answers with the time (a volatile field for --ignore); login answers
// with a fresh session token (a secret the recorder masks).
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';
import { randomUUID } from 'node:crypto';
import { pathToFileURL } from 'node:url';
import { z } from 'zod';

export function createServer() {
  const server = new McpServer({ name: 'variant', version: '1.0.0' });
  const prefix = process.env.VARIANT_PREFIX ?? '';
  server.registerTool('echo', { description: 'Echo a message', inputSchema: { message: z.string() } }, async ({ message }) => ({
    content: [{ type: 'text', text: `${prefix}${message}` }],
  }));
  server.registerTool('clock', { description: 'The time now', inputSchema: {} }, async () => ({
    content: [{ type: 'text', text: 'tick' }],
    structuredContent: { now: new Date().toISOString() },
  }));
  server.registerTool('fail', { description: 'Always fails', inputSchema: {} }, async () => ({ isError: true, content: [{ type: 'text', text: 'it failed' }] }));
  server.registerTool('login', { description: 'A session for a user', inputSchema: { user: z.string(), password: z.string() } }, async ({ user }) => ({
    content: [{ type: 'text', text: `${prefix}signed in` }],
    structuredContent: { user, sessionToken: randomUUID() },
  }));
  return server;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  await createServer().connect(new StdioServerTransport());
}
