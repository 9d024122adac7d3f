import { createServer, type Server } from 'node:http';
import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { echoServer, mcpctlBin, startServe, type RunningServe } from '../helpers/serve.js';
import { deadPort, mcpctl, tempDir, templateServer } from './helpers.js';

// A real `mcpctl serve --dev` over Streamable HTTP with auth on, trusting the dev key that `mcpctl keys init`
// wrote into a temporary project directory; the client commands mint their tokens from the same key (--as).
const project = tempDir('client-http');
let serve: RunningServe;
const inProject = (args: string[]) => mcpctl(args, { cwd: project.dir });

beforeAll(async () => {
  expect((await inProject(['keys', 'init'])).code).toBe(0);
  serve = await startServe([templateServer, '--dev'], { cwd: project.dir });
});
afterAll(async () => {
  await serve?.stop();
  project.remove();
});

describe('against an HTTP server with auth on', () => {
  it('lists and calls with a minted test token (--as, --scope), arguments coerced', async () => {
    const list = await inProject(['list', 'tools', '--url', serve.url, '--as', 'alice', '--scope', 'tools:call']);
    expect(list.code, list.stderr).toBe(0);
    expect(list.stdout).toMatch(/add\s+a:number b:number/);
    expect(await inProject(['call', 'add', 'a=2', 'b=40', '--url', serve.url, '--as', 'alice', '--scope', 'tools:add'])).toMatchObject({ code: 0, stdout: '42' });
  });

  it('--json carries the whole result', async () => {
    const { code, stdout } = await inProject(['call', 'text_stats', 'text=a b', '--json', '--url', serve.url, '--as', 'alice', '--scope', 'tools:call']);
    expect(code).toBe(0);
    expect(JSON.parse(stdout)).toEqual({ content: [{ type: 'text', text: '{"characters":3,"words":2,"lines":1}' }], structuredContent: { characters: 3, words: 2, lines: 1 } });
  });

  it('bench runs over HTTP with the same token for every call', async () => {
    const { code, stdout } = await inProject(['bench', 'add', 'a=1', 'b=2', '-n', '100', '-c', '8', '--json', '--url', serve.url, '--as', 'alice', '--scope', 'tools:add']);
    expect(code).toBe(0);
    expect(JSON.parse(stdout)).toMatchObject({ tool: 'add', calls: 100, errors: 0 });
  });

  it('takes a token from --token or a --header', async () => {
    const token = (await inProject(['token', 'mint', '--sub', 'bob', '--scope', 'tools:call'])).stdout.trim();
    expect(await inProject(['call', 'add', 'a=1', 'b=1', '--url', serve.url, '--token', token])).toMatchObject({ code: 0, stdout: '2' });
    expect(await inProject(['call', 'add', 'a=1', 'b=2', '--url', serve.url, '--header', `Authorization: Bearer ${token}`])).toMatchObject({ code: 0, stdout: '3' });
  });

  it('sends an opaque --token as it is: the server, not the client, says it is no JWT', async () => {
    const { code, stderr } = await inProject(['list', '--url', serve.url, '--token', 'opaque-abc']);
    expect(code).toBe(3);
    expect(stderr).toContain('refused the credentials (HTTP 401): Unauthorized: the token is not a signed JWT');
  });

  it('exits 3 without a token, with a bad one, and with too few scopes', async () => {
    const none = await inProject(['list', '--url', serve.url]);
    expect(none.code).toBe(3);
    expect(none.stderr).toContain('refused the credentials (HTTP 401)');
    const forged = await inProject(['list', '--url', serve.url, '--token', 'eyJhbGciOiJFUzI1NiJ9.eyJzdWIiOiJtYWxsb3J5In0.c2lnbmF0dXJl']);
    expect(forged.code).toBe(3);
    const narrow = await inProject(['call', 'add', 'a=1', 'b=1', '--url', serve.url, '--as', 'carol', '--scope', 'tools:greet']);
    expect(narrow.code).toBe(3);
    expect(narrow.stderr).toContain('HTTP 403');
    expect(narrow.stderr).toContain('--scope "tools:add"');
  });

  it('a stdio mcpctl serve --dev gets the token as MCPCTL_TOKEN; without one it refuses (exit 3)', async () => {
    const server = ['--', process.execPath, mcpctlBin, 'serve', '--dev', echoServer];
    expect(await inProject(['call', 'echo', 'message=over stdio', '--as', 'dave', '--scope', 'tools:echo', ...server])).toMatchObject({ code: 0, stdout: 'over stdio' });
    const refused = await inProject(['list', ...server]);
    expect(refused.code).toBe(3);
    expect(refused.stderr).toContain('MCPCTL_TOKEN');
    // A scope missing is the gateway's JSON-RPC error -32009, which stdio has no HTTP status for.
    const narrow = await inProject(['call', 'echo', 'message=hi', '--as', 'dave', '--scope', 'tools:whoami', ...server]);
    expect(narrow.code).toBe(3);
    expect(narrow.stderr).toContain('refused the credentials (error -32009): Forbidden: tool "echo" needs the scope tools:echo');
    expect(narrow.stderr).toContain('--scope "tools:echo"');
  });
});

describe('HTTP servers that are not there or do not answer', () => {
  it('a dead URL: exit 4', async () => {
    const { code, stderr } = await mcpctl(['list', '--url', `http://127.0.0.1:${await deadPort()}/mcp`]);
    expect(code).toBe(4);
    expect(stderr).toContain('connection refused');
  });

  it('a wrong path: exit 4', async () => {
    const { code, stderr } = await mcpctl(['list', '--url', serve.url.replace(/\/mcp$/, '/nope')]);
    expect(code).toBe(4);
    expect(stderr).toContain('HTTP 404');
  });

  it('a server that accepts the request and never answers: exit 5 after --timeout', async () => {
    const hanging: Server = createServer(() => {}).listen(0, '127.0.0.1');
    await new Promise((resolve) => hanging.once('listening', resolve));
    try {
      const { port } = hanging.address() as { port: number };
      const { code, stderr } = await mcpctl(['list', '--timeout', '1s', '--url', `http://127.0.0.1:${port}/mcp`]);
      expect(code).toBe(5);
      expect(stderr).toContain('did not answer initialize within 1s');
    } finally {
      hanging.closeAllConnections();
      hanging.close();
    }
  });
});

describe('a legacy HTTP+SSE server', () => {
  it('is reached by falling back from Streamable HTTP', async () => {
    const port = await deadPort();
    const supergateway = createRequire(import.meta.url).resolve('supergateway/dist/index.js');
    const gateway = spawn(process.execPath, [supergateway, '--stdio', `${process.execPath} ${echoServer}`, '--port', String(port), '--logLevel', 'none'], { stdio: 'ignore' });
    try {
      const url = `http://127.0.0.1:${port}/sse`;
      let result = await mcpctl(['call', 'echo', 'message=over sse', '--url', url]);
      // supergateway needs a moment to listen: retry while the port is still closed.
      for (let attempt = 0; result.code === 4 && attempt < 50; attempt++) {
        await new Promise((resolve) => setTimeout(resolve, 200));
        result = await mcpctl(['call', 'echo', 'message=over sse', '--url', url]);
      }
      expect(result).toMatchObject({ code: 0, stdout: 'over sse' });
    } finally {
      gateway.kill();
    }
  });
});
