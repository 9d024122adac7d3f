import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';
import { connectHttp, echoServer, repoRoot, startServe } from '../helpers/serve.js';

const crashy = `${repoRoot}test/fixtures/crashy-server.mjs`;
const text = (result: unknown): string => (result as { content: { text: string }[] }).content[0]!.text;

describe('a child that exits', () => {
  it('fails the calls in flight within a second, restarts, and the session goes on', async () => {
    const serve = await startServe(['--', process.execPath, crashy]);
    try {
      const client = await connectHttp(serve.url);
      const bystander = await connectHttp(serve.url);
      const firstPid = text(await client.callTool({ name: 'pid', arguments: {} }));
      const started = performance.now();
      const inFlight = client.callTool({ name: 'sleep', arguments: { ms: 5000 } }).then(
        () => 'answered',
        (error: Error) => error.message,
      );
      await new Promise((resolve) => setTimeout(resolve, 100));
      const crashed = await client.callTool({ name: 'crash', arguments: {} }).catch((error: Error) => error.message);
      expect(crashed).toMatch(/exited with code 7/);
      expect(await inFlight).toMatch(/exited with code 7/);
      expect(performance.now() - started).toBeLessThan(2000);

      // Restarted with backoff and re-initialized on the client's behalf: the same session works again.
      let again: string | undefined;
      for (let attempt = 0; attempt < 40 && again === undefined; attempt++) {
        again = await client.callTool({ name: 'pid', arguments: {} }).then(text, () => undefined);
        if (again === undefined) await new Promise((resolve) => setTimeout(resolve, 50));
      }
      expect(again).toMatch(/^\d+$/);
      expect(again).not.toBe(firstPid);
      expect(text(await bystander.callTool({ name: 'sleep', arguments: { ms: 1 } }))).toBe('slept 1');
      expect(serve.stderr()).toContain('restarting');
      await client.close();
      await bystander.close();
    } finally {
      expect(await serve.stop()).toBe(0);
    }
  });
});

describe('a server that cannot start', () => {
  it('command not found: one line, exit 4', async () => {
    const result = await runCli(['serve', '--', 'no-such-mcp-server-binary', '--flag']);
    expect(result.code).toBe(4);
    expect(result.stderr).toContain('command not found: no-such-mcp-server-binary');
    expect(result.stderr).not.toMatch(/\n\s+at /);
  });

  it('crashes at once: one line with its exit code and last words, exit 4', async () => {
    const result = await runCli(['serve', '--', process.execPath, '-e', 'console.error("missing API key"); process.exit(3)']);
    expect(result.code).toBe(4);
    expect(result.stderr).toMatch(/exited with code 3 before answering initialize: missing API key/);
  });

  it('a module that does not exist or exports no factory: one line, no stack', async () => {
    const missing = await runCli(['serve', 'nope/server.js']);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('module not found: nope/server.js');
    const wrongExport = await runCli(['serve', `${repoRoot}vitest.config.ts`]);
    expect(wrongExport.stderr).toMatch(/does not export createServer\(\)|did not return an MCP server/);
    expect(wrongExport.stderr).not.toMatch(/\n\s+at /);
  });

  it('a port in use: one line with a hint', async () => {
    const serve = await startServe([echoServer]);
    try {
      const port = new URL(serve.url).port;
      const result = await runCli(['serve', echoServer, '--transport', 'http', '--port', port]);
      expect(result.code).toBe(2);
      expect(result.stderr).toContain(`port ${port} is in use`);
    } finally {
      await serve.stop();
    }
  });
});

describe('shutdown', () => {
  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    it(`${signal} lets calls in flight finish, refuses new ones, exits 0`, async () => {
      const serve = await startServe(['--grace', '5s', '--', process.execPath, crashy]);
      const client = new Client({ name: 'test', version: '1.0.0' });
      await client.connect(new StreamableHTTPClientTransport(new URL(serve.url)));
      const inFlight = client.callTool({ name: 'sleep', arguments: { ms: 400 } });
      await new Promise((resolve) => setTimeout(resolve, 100));
      const exited = serve.stop(signal);
      await new Promise((resolve) => setTimeout(resolve, 50));
      const late = await fetch(serve.url, { method: 'POST', headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream' }, body: '{}' }).then(
        (response) => response.status,
        () => 'refused',
      );
      expect(text(await inFlight)).toBe('slept 400');
      expect(await exited).toBe(0);
      expect([503, 'refused']).toContain(late);
      expect(serve.stderr()).toContain(`shutting down (${signal})`);
    });
  }

  it('the grace period bounds the wait', async () => {
    const serve = await startServe(['--grace', '200ms', '--', process.execPath, crashy]);
    const client = await connectHttp(serve.url);
    const inFlight = client.callTool({ name: 'sleep', arguments: { ms: 10_000 } }).catch((error: Error) => error.message);
    await new Promise((resolve) => setTimeout(resolve, 100));
    const started = performance.now();
    expect(await serve.stop()).toBe(0);
    expect(performance.now() - started).toBeLessThan(3000);
    expect(await inFlight).toBeTypeOf('string');
  });
});
