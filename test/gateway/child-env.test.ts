import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { claimsFor, signHmac } from '../auth/helpers.js';
import { runCli, tempDir } from '../helpers/cli.js';
import { connectHttp, startServe } from '../helpers/serve.js';

// The spy child writes its environment to SPY_FILE when it starts (the start-up probe and each session's child).
const spyServer = fileURLToPath(new URL('../auth/fixtures/spy-server.mjs', import.meta.url));
const hmacSecret = 'a-32-byte-or-longer-hs256-secret!';
const gatewaySecrets = {
  LANGFUSE_PUBLIC_KEY: 'pk-lf-gateway',
  LANGFUSE_SECRET_KEY: 'sk-lf-gateway',
  OTEL_EXPORTER_OTLP_HEADERS: 'x-api-key=otlp-gateway',
  OTEL_EXPORTER_OTLP_TRACES_HEADERS: 'x-api-key=otlp-traces-gateway',
  MCPCTL_TOKEN: 'stdio-token',
  MCPCTL_ANYTHING: 'own-setting',
  AUTH_SECRET: hmacSecret,
};

describe('a child server gets no secret of mcpctl\'s own unless asked', () => {
  const temp = tempDir('child-env');
  afterAll(() => temp.remove());

  /** Serves the spy as a child with the gateway's secrets in serve's environment; answers each environment it started with. */
  async function childEnvironments(name: string, config: object, flags: string[], callWith: Record<string, string> = {}): Promise<Record<string, string>[]> {
    const spyFile = join(temp.dir, `${name}.log`);
    // Langfuse keys in the environment would turn tracing on: off here, so nothing leaves the machine.
    writeFileSync(join(temp.dir, `${name}.json`), JSON.stringify({ tracing: { enabled: false }, ...config }));
    const serve = await startServe(['--config', `${name}.json`, ...flags, '--', process.execPath, spyServer], { cwd: temp.dir, env: { ...gatewaySecrets, SPY_FILE: spyFile, PLAIN_SETTING: 'plain' } });
    try {
      const client = await connectHttp(serve.url, callWith);
      expect((await client.callTool({ name: 'echo', arguments: { message: 'hi' } })).content).toEqual([{ type: 'text', text: 'hi' }]);
      await client.close();
    } finally {
      expect(await serve.stop()).toBe(0);
    }
    const lines = readFileSync(spyFile, 'utf8').split('\n').filter((line) => line.startsWith('ENV '));
    expect(lines.length).toBeGreaterThanOrEqual(2); // the probe's child and the session's
    return lines.map((line) => JSON.parse(line.slice(4)) as Record<string, string>);
  }

  it('withholds the Langfuse keys, the OTLP headers, MCPCTL_* and the --secret-env variable; passes the rest', async () => {
    const token = await signHmac(hmacSecret, claimsFor('mcpctl-child-env', { sub: 'alice' }));
    const environments = await childEnvironments('withheld', { auth: { secretEnv: 'AUTH_SECRET', issuer: 'https://issuer.test/', audience: 'mcpctl-child-env' } }, [], { token });
    for (const env of environments) {
      expect(env).toMatchObject({ PLAIN_SETTING: 'plain' });
      for (const name of Object.keys(gatewaySecrets)) expect(env).not.toHaveProperty(name);
      for (const value of Object.values(gatewaySecrets)) expect(JSON.stringify(env)).not.toContain(value);
    }
  });

  it('passes what --child-env and childEnv name, and only that', async () => {
    const environments = await childEnvironments('passed', { childEnv: ['MCPCTL_ANYTHING'] }, ['--child-env', 'LANGFUSE_SECRET_KEY', '--child-env', 'OTEL_EXPORTER_OTLP_HEADERS']);
    for (const env of environments) {
      expect(env).toMatchObject({ LANGFUSE_SECRET_KEY: 'sk-lf-gateway', OTEL_EXPORTER_OTLP_HEADERS: 'x-api-key=otlp-gateway', MCPCTL_ANYTHING: 'own-setting' });
      for (const name of ['LANGFUSE_PUBLIC_KEY', 'OTEL_EXPORTER_OTLP_TRACES_HEADERS', 'MCPCTL_TOKEN']) expect(env).not.toHaveProperty(name);
    }
  });

  it('refuses to pass MCPCTL_TOKEN, the caller\'s token: one line, exit 2', async () => {
    const { code, stderr } = await runCli(['serve', '--child-env', 'MCPCTL_TOKEN', '--', process.execPath, spyServer], { cwd: temp.dir });
    expect(code).toBe(2);
    expect(stderr.split('\n')[0]).toBe('mcpctl: serve flags and config: "childEnv.0" (got "MCPCTL_TOKEN"): the caller\'s token never reaches a child server');
  });
});
