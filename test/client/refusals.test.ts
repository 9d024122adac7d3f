import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import type { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectHttp, echoServer, mcpctlBin, startServe, type RunningServe } from '../helpers/serve.js';
import { deadPort, mcpctl, tempDir } from './helpers.js';

// A real `mcpctl serve --dev` over HTTP with per-tool rate limits and a small session pool. Each test calls as its
// own subject (--as), so each has buckets of its own: "echo" allows one call a minute, "whoami" one every 3 s, and
// the resource test://greeting one read an hour.
const project = tempDir('client-refusals');
let serve: RunningServe;
const inProject = (args: string[]) => mcpctl(args, { cwd: project.dir });
const target = (sub: string, scope = 'tools:call') => ['--url', serve.url, '--as', sub, '--scope', scope];

beforeAll(async () => {
  expect((await inProject(['keys', 'init'])).code).toBe(0);
  serve = await startServe([echoServer, '--dev', '--tool-rate-limit', 'echo=1/min', '--tool-rate-limit', 'whoami=1/3s', '--tool-rate-limit', 'test://greeting=1/h', '--max-sessions', '2', '--max-sessions-per-caller', '2'], { cwd: project.dir });
});
afterAll(async () => {
  await serve?.stop();
  project.remove();
});

describe('a server refusing for capacity', () => {
  it('call over a rate limit (HTTP 429): exit 6, the server\'s message, and when to retry', async () => {
    expect(await inProject(['call', 'echo', 'message=first', ...target('ann')])).toMatchObject({ code: 0, stdout: 'first' });
    const { code, stderr } = await inProject(['call', 'echo', 'message=second', ...target('ann')]);
    expect(code).toBe(6);
    expect(stderr).toMatch(/refused the request, over a rate limit \(HTTP 429\): rate limit exceeded: "echo" allows 1\/min per caller; retry after [\d.]+s\n/);
    expect(stderr).toMatch(/\nretry after (5\d|60)(\.\d+)?s; --retry <n> waits and retries on its own$/);
  });

  it('--retry waits as long as the server asks, then gets through', async () => {
    expect((await inProject(['call', 'whoami', ...target('ben')])).code).toBe(0);
    const { code, stdout } = await inProject(['call', 'whoami', '--retry', '1', ...target('ben')]);
    expect(code).toBe(0);
    expect(JSON.parse(stdout)).toMatchObject({ clientId: 'ben' });
    // Refused once (the server logged it), then answered after the wait.
    expect(serve.stderr()).toMatch(/rate limited caller=ben tool=whoami/);
  });

  it('--retry does not wait over a minute: a longer wait is passed on at once (exit 6)', async () => {
    expect(await inProject(['read', 'test://greeting', ...target('cay', 'resources:read')])).toMatchObject({ code: 0, stdout: 'hello' });
    const started = performance.now();
    const { code, stderr } = await inProject(['read', 'test://greeting', '--retry', '3', ...target('cay', 'resources:read')]);
    expect(code).toBe(6);
    expect(stderr).toMatch(/allows 1\/h per caller; retry after 3\d{3}(\.\d+)?s\nretry after 3\d{3}(\.\d+)?s$/);
    expect(performance.now() - started).toBeLessThan(10_000);
  });

  it('a full session pool (HTTP 503): exit 6 with the server\'s message', async () => {
    const token = (await inProject(['token', 'mint', '--sub', 'dee', '--scope', 'tools:call'])).stdout.trim();
    const held: Client[] = [];
    try {
      for (let i = 0; i < 2; i++) held.push(await connectHttp(serve.url, { token }));
      // Both sessions busy: an idle one would be closed to make room instead.
      const busy = held.map((client) => client.callTool({ name: 'slow', arguments: { steps: 1, ms: 3000 } }));
      const { code, stderr } = await inProject(['list', ...target('fay')]);
      expect(code).toBe(6);
      expect(stderr).toContain('refused the request, overloaded (HTTP 503): all 2 sessions have requests in flight (--max-sessions); retry shortly');
      expect(stderr).toContain('retry later');
      await Promise.all(busy);
    } finally {
      // Ended, not just closed: the pool must have room again for the tests after this one.
      await Promise.all(held.map(async (client) => {
        await (client.transport as StreamableHTTPClientTransport).terminateSession();
        await client.close();
      }));
    }
  });

  it('bench counts refusals by kind and runs to the end (exit 1)', async () => {
    const { code, stdout } = await inProject(['bench', 'echo', 'message=hi', '-n', '6', '-c', '2', '--json', ...target('eve')]);
    expect(code).toBe(1);
    expect(JSON.parse(stdout)).toMatchObject({ calls: 6, errors: 5, errorsByKind: { rateLimited: 5, overloaded: 0, auth: 0, other: 0 } });
    const human = await inProject(['bench', 'echo', 'message=hi', '-n', '3', '-c', '1', ...target('eve')]);
    expect(human.code).toBe(1);
    expect(human.stdout).toMatch(/errors {6}3: 3 rate limited \(429\)$/);
  });

  it('bench over stdio counts the JSON-RPC refusals (code 429) alike', async () => {
    const { code, stdout } = await mcpctl(['bench', 'echo', 'message=hi', '-n', '4', '-c', '1', '--json', '--', process.execPath, mcpctlBin, 'serve', echoServer, '--tool-rate-limit', 'echo=1/min']);
    expect(code).toBe(1);
    expect(JSON.parse(stdout)).toMatchObject({ calls: 4, errors: 3, errorsByKind: { rateLimited: 3, other: 0 } });
  });
});

describe('replay against a refusing server', () => {
  it('records a refused call (403, 429) as failed, goes on, and writes the summary and a valid JUnit file', async () => {
    const file = join(project.dir, 'smoke.jsonl');
    const call = (name: string, args: object = {}) => ({ method: 'tools/call', params: { name, arguments: args } });
    const entries = [
      { ...call('echo', { message: 'hi' }), expect: { contains: 'hi' } },
      { ...call('fail'), expect: { isError: true } },
      { ...call('echo', { message: 'again' }), expect: { contains: 'again' } },
      { method: 'tools/list', expect: { contains: 'echo' } },
    ];
    writeFileSync(file, entries.map((entry) => JSON.stringify(entry)).join('\n'));
    const report = join(project.dir, 'replay.xml');
    const { code, stdout } = await inProject(['replay', file, '--reporter', 'junit', '--output', report, ...target('fay', 'tools:echo')]);
    expect(code).toBe(1);
    expect(stdout).toMatch(/FAIL tools\/call fail .*\n\s+refused \(HTTP 403\): Forbidden: tool "fail" needs the scope tools:fail/);
    expect(stdout).toMatch(/FAIL tools\/call echo .*\n\s+refused \(HTTP 429\): rate limit exceeded/);
    expect(stdout).toContain('2 passed, 2 failed (4 calls from');
    const xml = readFileSync(report, 'utf8');
    expect(XMLValidator.validate(xml)).toBe(true);
    const suite = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '' }).parse(xml).testsuites.testsuite;
    expect(suite).toMatchObject({ tests: '4', failures: '2' });
    const failures = suite.testcase.filter((each: { failure?: unknown }) => each.failure).map((each: { failure: { message: string } }) => each.failure.message);
    expect(failures).toEqual([expect.stringContaining('refused (HTTP 403)'), expect.stringContaining('refused (HTTP 429)')]);
  });

  it('--retry gets a refused call through after the wait, in a replay too', async () => {
    const file = join(project.dir, 'twice.jsonl');
    const whoami = { method: 'tools/call', params: { name: 'whoami', arguments: {} }, expect: { contains: 'hal' } };
    writeFileSync(file, `${JSON.stringify(whoami)}\n${JSON.stringify(whoami)}\n`);
    const { code, stdout } = await inProject(['replay', file, '--retry', '1', ...target('hal')]);
    expect(code, stdout).toBe(0);
    expect(stdout).toContain('2 passed, 0 failed');
    expect(serve.stderr()).toMatch(/rate limited caller=hal tool=whoami/);
  });

  it('a server it cannot reach: every call fails as not run, the reports are written, and the exit code says why (4)', async () => {
    const file = join(project.dir, 'unreached.jsonl');
    writeFileSync(file, '{"method":"tools/list","expect":{"contains":"echo"}}\n{"method":"ping","expect":{"isError":false}}\n');
    const report = join(project.dir, 'unreached.xml');
    const url = `http://127.0.0.1:${await deadPort()}/mcp`;
    const { code, stdout, stderr } = await inProject(['replay', file, '--reporter', 'junit', '--output', report, '--url', url]);
    expect(code).toBe(4);
    expect(stdout).toContain('0 passed, 2 failed');
    expect(stderr).toContain(`cannot reach ${url}: connection refused`);
    const xml = readFileSync(report, 'utf8');
    expect(XMLValidator.validate(xml)).toBe(true);
    expect(xml.split(`<failure message="not run: cannot reach ${url}: connection refused"`)).toHaveLength(3);
  });
});

describe('timeouts over HTTP', () => {
  it('a tool slower than --timeout: exit 5', async () => {
    const { code, stderr } = await inProject(['call', 'slow', 'steps=1', 'ms=5000', '--timeout', '1s', ...target('gus')]);
    expect(code).toBe(5);
    expect(stderr).toContain('did not answer tools/call within 1s');
  });
});
