import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { InMemoryTransport } from '@modelcontextprotocol/sdk/inMemory.js';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { createServer } from '../src/server.js';

// The real SDK client talks to the real server through the SDK's in-memory transport: no process, no port.
let client: Client;

beforeEach(async () => {
  const [clientTransport, serverTransport] = InMemoryTransport.createLinkedPair();
  await createServer().connect(serverTransport);
  client = new Client({ name: 'test', version: '1.0.0' });
  await client.connect(clientTransport);
});

afterEach(() => client.close());

it('lists the greet tool with its input schema', async () => {
  const { tools } = await client.listTools();
  expect(tools.map((tool) => tool.name)).toEqual(['greet']);
  expect(tools[0]?.inputSchema.required).toEqual(['name']);
});

it('greets by name', async () => {
  const result = await client.callTool({ name: 'greet', arguments: { name: 'Ada' } });
  expect(result.content).toEqual([{ type: 'text', text: 'Hello, Ada!' }]);
});

it('refuses input that does not match the schema', async () => {
  const result = await client.callTool({ name: 'greet', arguments: { name: '' } });
  expect(result.isError).toBe(true);
});
