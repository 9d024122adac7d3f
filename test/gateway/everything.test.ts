import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { CreateMessageRequestSchema } from '@modelcontextprotocol/sdk/types.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { repoRoot, startServe, type RunningServe } from '../helpers/serve.js';

const everything = `${repoRoot}node_modules/@modelcontextprotocol/server-everything/dist/index.js`;

describe('the reference server-everything as a child back over HTTP', () => {
  let serve: RunningServe;
  let client: Client;
  const sampled: string[] = [];
  beforeAll(async () => {
    serve = await startServe(['--', process.execPath, everything, 'stdio']);
    client = new Client({ name: 'test', version: '1.0.0' }, { capabilities: { sampling: {} } });
    client.setRequestHandler(CreateMessageRequestSchema, async (request) => {
      sampled.push((request.params.messages[0]!.content as { text: string }).text);
      return { role: 'assistant', model: 'stub', content: { type: 'text', text: 'stub answer' } };
    });
    await client.connect(new StreamableHTTPClientTransport(new URL(serve.url)));
  });
  afterAll(async () => {
    await client.close();
    expect(await serve.stop()).toBe(0);
  });

  it('calls tools, with structured content', async () => {
    expect((await client.callTool({ name: 'echo', arguments: { message: 'hi' } })).content).toEqual([{ type: 'text', text: 'Echo: hi' }]);
    const sum = await client.callTool({ name: 'get-sum', arguments: { a: 2, b: 3 } });
    expect(JSON.stringify(sum.content)).toContain('5');
    const weather = await client.callTool({ name: 'get-structured-content', arguments: { location: 'Chicago' } });
    expect(weather.structuredContent).toBeDefined();
  });

  it('lists and reads resources, and gets prompts', async () => {
    const { resources } = await client.listResources();
    expect(resources.length).toBeGreaterThan(0);
    const read = await client.readResource({ uri: resources[0]!.uri });
    expect(read.contents[0]!.uri).toBe(resources[0]!.uri);
    const prompt = await client.getPrompt({ name: 'args-prompt', arguments: { city: 'Oslo' } });
    expect(JSON.stringify(prompt.messages)).toContain('Oslo');
  });

  it('streams progress notifications of a long-running call', async () => {
    const progress: number[] = [];
    const result = await client.callTool({ name: 'trigger-long-running-operation', arguments: { duration: 0.3, steps: 3 } }, undefined, {
      onprogress: (update) => progress.push(update.progress),
    });
    expect(result.isError).toBeFalsy();
    expect(progress).toEqual([1, 2, 3]);
  });

  it('relays the server\'s sampling request to the client and its answer back', async () => {
    const result = await client.callTool({ name: 'trigger-sampling-request', arguments: { prompt: 'Name a colour', maxTokens: 5 } });
    expect(sampled.some((text) => text.includes('Name a colour'))).toBe(true);
    expect(JSON.stringify(result.content)).toContain('stub answer');
  });
});
