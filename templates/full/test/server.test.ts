import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { InMemoryTransport } from '@modelcontextprotocol/sdk/inMemory.js';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
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

describe('tools', () => {
  it('lists every tool', async () => {
    const { tools } = await client.listTools();
    expect(tools.map((tool) => tool.name).sort()).toEqual(['add', 'greet', 'text_stats']);
  });

  it('greets in the language asked for', async () => {
    const result = await client.callTool({ name: 'greet', arguments: { name: 'Ada', language: 'fr' } });
    expect(result.content).toEqual([{ type: 'text', text: 'Bonjour, Ada!' }]);
  });

  it('adds two numbers', async () => {
    const result = await client.callTool({ name: 'add', arguments: { a: 2, b: 3 } });
    expect(result.content).toEqual([{ type: 'text', text: '5' }]);
  });

  it('answers text_stats with structured content matching its output schema', async () => {
    const result = await client.callTool({ name: 'text_stats', arguments: { text: 'one two\nthree' } });
    expect(result.structuredContent).toEqual({ characters: 13, words: 3, lines: 2 });
  });

  it('refuses arguments that do not match the input schema', async () => {
    const result = await client.callTool({ name: 'add', arguments: { a: 'two', b: 3 } });
    expect(result.isError).toBe(true);
  });
});

describe('resources', () => {
  it('lists the static resource and one resource per docs topic', async () => {
    const { resources } = await client.listResources();
    expect(resources.map((resource) => resource.uri)).toEqual(['info://about', 'docs://tools', 'docs://resources', 'docs://prompts']);
  });

  it('reads a page through the resource template', async () => {
    const { contents } = await client.readResource({ uri: 'docs://prompts' });
    expect(contents).toEqual([{ uri: 'docs://prompts', mimeType: 'text/plain', text: expect.stringContaining('summarize') }]);
  });

  it('completes the template variable', async () => {
    const { completion } = await client.complete({ ref: { type: 'ref/resource', uri: 'docs://{topic}' }, argument: { name: 'topic', value: 'to' } });
    expect(completion.values).toEqual(['tools']);
  });
});

describe('prompts', () => {
  it('fills in the summarize prompt', async () => {
    const { messages } = await client.getPrompt({ name: 'summarize', arguments: { text: 'A long story.', style: 'detailed' } });
    expect(messages).toEqual([{ role: 'user', content: { type: 'text', text: 'Summarize in a few paragraphs:\n\nA long story.' } }]);
  });
});
