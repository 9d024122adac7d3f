import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { runCli, tempDir } from '../helpers/cli.js';
import { connectHttp, echoServer, startServe } from '../helpers/serve.js';

describe('mcpctl.json', () => {
  let cleanup: () => void = () => {};
  afterEach(() => cleanup());

  const withConfig = (config: unknown): string => {
    const { dir, remove } = tempDir('config');
    cleanup = remove;
    writeFileSync(join(dir, 'mcpctl.json'), typeof config === 'string' ? config : JSON.stringify(config));
    return dir;
  };

  it('an unknown key is one line naming it, exit 2', async () => {
    const cwd = withConfig({ entry: echoServer, prot: 9000 });
    const result = await runCli(['serve'], { cwd });
    expect(result.code).toBe(2);
    expect(result.stderr.trim().split('\n')[0]).toBe('mcpctl: mcpctl.json: unknown key "prot"');
  });

  it('a nested unknown key and a wrong type name their path', async () => {
    const nested = await runCli(['serve'], { cwd: withConfig({ entry: echoServer, rateLimit: { defualt: '1/s' } }) });
    expect(nested.code).toBe(2);
    expect(nested.stderr).toContain('unknown key "rateLimit.defualt"');
    const wrongType = await runCli(['serve'], { cwd: withConfig({ entry: echoServer, port: 'eighty' }) });
    expect(wrongType.code).toBe(2);
    expect(wrongType.stderr).toMatch(/"port" \(got "eighty"\): .*number/);
  });

  it('invalid JSON and a missing --config file are one line each', async () => {
    const broken = await runCli(['serve'], { cwd: withConfig('{ "entry": ') });
    expect(broken.code).toBe(2);
    expect(broken.stderr).toContain('mcpctl.json is not valid JSON');
    const missing = await runCli(['serve', '--config', 'nowhere.json']);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('cannot read config file nowhere.json: no such file');
    const directory = await runCli(['serve', '--config', 'test']);
    expect(directory.code).toBe(2);
    expect(directory.stderr).toContain('cannot read config file test: it is a directory');
  });

  it('nothing to serve says how to name something', async () => {
    const result = await runCli(['serve'], { cwd: withConfig({}) });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('nothing to serve');
  });

  it('serves the configured entry, and flags override keys', async () => {
    const cwd = withConfig({ entry: echoServer, transport: 'stdio', path: '/configured', port: 1 });
    // startServe adds --transport http --port 0: both override the file; --path is taken from it.
    const serve = await startServe([], { cwd });
    try {
      expect(new URL(serve.url).pathname).toBe('/configured');
      const client = await connectHttp(serve.url);
      expect((await client.callTool({ name: 'echo', arguments: { message: 'configured' } })).content).toEqual([{ type: 'text', text: 'configured' }]);
      await client.close();
    } finally {
      await serve.stop();
    }
  });

  it('bad flag values are one line, exit 2', async () => {
    const port = await runCli(['serve', echoServer, '--port', 'http']);
    expect(port.code).toBe(2);
    expect(port.stderr).toContain('--port must be a whole number');
    const transport = await runCli(['serve', echoServer, '--transport', 'carrier-pigeon']);
    expect(transport.code).toBe(2);
    expect(transport.stderr).toMatch(/carrier-pigeon.*invalid|Allowed choices/i);
    const url = await runCli(['serve', echoServer, '--transport', 'http', '--jwks-url', 'notaurl', '--issuer', 'x']);
    expect(url.code).toBe(2);
    expect(url.stderr).toContain('"auth.jwksUrl" (got "notaurl"): Invalid URL');
    const redis = await runCli(['serve', echoServer, '--rate-limit', '10/s', '--redis', '127.0.0.1:6379']);
    expect(redis.code).toBe(2);
    expect(redis.stderr).toContain('"rateLimit.redis" (got "127.0.0.1:6379"): use a redis:// or rediss:// URL');
    const grace = await runCli(['serve', echoServer, '--grace', 'soon']);
    expect(grace.code).toBe(2);
    expect(grace.stderr).toContain('invalid grace period "soon"');
    const unitless = await runCli(['serve', echoServer, '--grace', '100']);
    expect(unitless.code).toBe(2);
    expect(unitless.stderr).toContain('invalid grace period "100": it needs a unit\ndid you mean 100s?');
  });
});
