import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { CreateMessageRequestSchema, ListRootsRequestSchema, LoggingMessageNotificationSchema, ToolListChangedNotificationSchema } from '@modelcontextprotocol/sdk/types.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { echoServer, mcpctlBin, repoRoot, startServe, type RunningServe } from '../helpers/serve.js';

/** A client that can answer sampling requests, as a host application would. */
function samplingClient(): Client {
  const client = new Client({ name: 'test', version: '1.0.0' }, { capabilities: { sampling: {}, roots: {} } });
  client.setRequestHandler(ListRootsRequestSchema, async () => ({ roots: [{ uri: 'file:///work', name: 'work' }] }));
  client.setRequestHandler(CreateMessageRequestSchema, async (request) => {
    const first = request.params.messages[0]!.content as { text: string };
    return { role: 'assistant', model: 'stub', content: { type: 'text', text: `yes to ${first.text}` } };
  });
  return client;
}

const backs = [
  ['module back', [echoServer]],
  ['command back', ['--', process.execPath, echoServer]],
] as const;

/** Everything passes both ways: requests, results, errors, progress, server→client sampling, resources, prompts. */
async function exercise(client: Client): Promise<void> {
  const { tools } = await client.listTools();
  expect(tools.map((tool) => tool.name).sort()).toEqual(['announce', 'ask', 'echo', 'fail', 'roots', 'slow', 'whoami']);
  expect((await client.callTool({ name: 'echo', arguments: { message: 'hi' } })).content).toEqual([{ type: 'text', text: 'hi' }]);
  expect((await client.callTool({ name: 'fail', arguments: {} })).isError).toBe(true);
  const progress: number[] = [];
  // 30 ms between messages: the SDK client drops a progress notification that arrives in the same read as its
  // response, and 5 ms was too little once on a loaded machine.
  const slow = await client.callTool({ name: 'slow', arguments: { steps: 3, ms: 30 } }, undefined, { onprogress: (update) => progress.push(update.progress) });
  expect(slow.content).toEqual([{ type: 'text', text: 'done after 3' }]);
  expect(progress).toEqual([1, 2, 3]);
  expect((await client.callTool({ name: 'ask', arguments: { question: 'tea?' } })).content).toEqual([{ type: 'text', text: 'sampled: yes to tea?' }]);
  expect((await client.readResource({ uri: 'test://greeting' })).contents).toEqual([{ uri: 'test://greeting', text: 'hello' }]);
  const prompt = await client.getPrompt({ name: 'hello', arguments: { name: 'Ada' } });
  expect(prompt.messages[0]!.content).toEqual({ type: 'text', text: 'Say hello to Ada' });
  await expect(client.callTool({ name: 'no-such-tool', arguments: {} })).resolves.toMatchObject({ isError: true });
  expect((await client.callTool({ name: 'roots', arguments: {} })).content).toEqual([{ type: 'text', text: 'file:///work' }]);

  // Notifications the server sends outside any call reach the client too (the GET stream on HTTP).
  const logged = new Promise((resolve) => client.setNotificationHandler(LoggingMessageNotificationSchema, (notification) => resolve(notification.params.data)));
  const changed = new Promise((resolve) => client.setNotificationHandler(ToolListChangedNotificationSchema, () => resolve('changed')));
  await client.setLoggingLevel('info');
  await client.callTool({ name: 'announce', arguments: {} });
  expect(await logged).toBe('announced');
  expect(await changed).toBe('changed');
}

describe.each(backs)('%s over HTTP', (_label, args) => {
  let serve: RunningServe;
  beforeAll(async () => {
    serve = await startServe([...args]);
  });
  afterAll(async () => {
    expect(await serve.stop()).toBe(0);
  });

  it('relays everything through the SDK client', async () => {
    const client = samplingClient();
    await client.connect(new StreamableHTTPClientTransport(new URL(serve.url)));
    await exercise(client);
    await client.close();
  });

  it('keeps concurrent sessions apart', async () => {
    const clients = await Promise.all(
      [1, 2, 3].map(async () => {
        const client = samplingClient();
        await client.connect(new StreamableHTTPClientTransport(new URL(serve.url)));
        return client;
      }),
    );
    const answers = await Promise.all(clients.flatMap((client, index) => [1, 2, 3].map((call) => client.callTool({ name: 'echo', arguments: { message: `${index}-${call}` } }))));
    expect(answers.map((answer) => (answer.content as { text: string }[])[0]!.text)).toEqual(['0-1', '0-2', '0-3', '1-1', '1-2', '1-3', '2-1', '2-2', '2-3']);
    await Promise.all(clients.map((client) => client.close()));
  });

  it('logs one line per request to stderr with method, target and outcome', () => {
    expect(serve.stderr()).toMatch(/tools\/call .*target=echo .*outcome=ok/);
    expect(serve.stderr()).toMatch(/tools\/call .*target=fail .*outcome=tool-error/);
  });
});

describe.each(backs)('%s over stdio', (_label, args) => {
  it('relays everything through the SDK client, and logs only to stderr', async () => {
    const client = samplingClient();
    const transport = new StdioClientTransport({ command: process.execPath, args: [mcpctlBin, 'serve', '--log', 'json', ...args], cwd: repoRoot, stderr: 'pipe' });
    let stderr = '';
    transport.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    await client.connect(transport);
    await exercise(client);
    await client.close();
    // Under --log json every stderr line is one JSON object, the child's own lines included.
    const entries = stderr.trim().split('\n').map((line) => JSON.parse(line));
    if (args[0] === '--') expect(entries).toContainEqual(expect.objectContaining({ msg: 'echo server ready on stdio', source: 'node' }));
    const call = entries.find((entry) => entry.msg === 'tools/call' && entry.target === 'echo');
    expect(call).toMatchObject({ level: 'info', caller: 'stdio', outcome: 'ok' });
    expect(typeof call.ms).toBe('number');
  });
});

describe.each(backs)('%s: message order on the wire', (_label, args) => {
  it('writes every progress notification before the response it precedes', async () => {
    const { spawn } = await import('node:child_process');
    const proc = spawn(process.execPath, [mcpctlBin, 'serve', ...args], { cwd: repoRoot, stdio: ['pipe', 'pipe', 'ignore'] });
    const lines: string[] = [];
    let buffered = '';
    const waiters: [string, () => void][] = [];
    const answered = (id: number) => new Promise<void>((resolve) => waiters.push([`"id":${id}`, resolve]));
    proc.stdout!.setEncoding('utf8').on('data', (chunk: string) => {
      buffered += chunk;
      const parts = buffered.split('\n');
      buffered = parts.pop()!;
      lines.push(...parts);
      for (const [needle, resolve] of waiters) if (parts.some((line) => line.includes(needle))) resolve();
    });
    const send = (message: unknown) => proc.stdin!.write(`${JSON.stringify(message)}\n`);
    const initialized = answered(1);
    send({ jsonrpc: '2.0', id: 1, method: 'initialize', params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 'raw', version: '1' } } });
    await initialized;
    send({ jsonrpc: '2.0', method: 'notifications/initialized' });
    const called = answered(2);
    send({ jsonrpc: '2.0', id: 2, method: 'tools/call', params: { name: 'slow', arguments: { steps: 4, ms: 0 }, _meta: { progressToken: 'p' } } });
    await called;
    proc.kill();
    const order = lines.slice(1).map((line) => JSON.parse(line)).map((message) => message.params?.progress ?? `id ${message.id}`);
    expect(order).toEqual([1, 2, 3, 4, 'id 2']);
  });
});
