import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectHttp, startServe } from '../helpers/serve.js';
import { mcpctl, tempDir, variantServer } from './helpers.js';

// A real `mcpctl serve --record` over HTTP, called with secrets in the arguments and answering one in a result;
// then the file replayed against fresh stdio servers.
const project = tempDir('record-secrets');
const recorded = join(project.dir, 'calls.jsonl');
const sameServer = ['--', process.execPath, variantServer];
const secrets = { password: 'hunter2-pw', apiKey: 'sk-live-api', client_secret: 'cs-snake', clientSecret: 'cs-camel', authorization: 'Bearer tk-auth' };
let sessionToken: string;

beforeAll(async () => {
  const serve = await startServe([variantServer, '--record', recorded], { cwd: project.dir });
  try {
    const alice = await connectHttp(serve.url, { name: 'alice' });
    const login = await alice.callTool({ name: 'login', arguments: { user: 'alice', password: secrets.password } });
    sessionToken = (login.structuredContent as { sessionToken: string }).sessionToken;
    expect(await alice.callTool({ name: 'echo', arguments: { message: 'hi', ...secrets, limits: { maxTokens: 5 } } })).toMatchObject({ content: [{ type: 'text', text: 'hi' }] });
    await alice.close();
    // The gateway goes on serving: another caller's call is answered and recorded.
    const bob = await connectHttp(serve.url, { name: 'bob' });
    expect((await bob.callTool({ name: 'echo', arguments: { message: 'from bob' } })).content).toEqual([{ type: 'text', text: 'from bob' }]);
    await bob.close();
  } finally {
    expect(await serve.stop()).toBe(0);
  }
});
afterAll(() => project.remove());

const lines = (file: string) => readFileSync(file, 'utf8').trim().split('\n').map((line) => JSON.parse(line));
const call = (file: string, name: string) => lines(file).filter((entry) => entry.params?.name === name);

describe('serve --record and secrets', () => {
  it('writes a file only its owner can read (0600)', () => {
    expect(statSync(recorded).mode & 0o777).toBe(0o600);
  });

  it('masks arguments named like secrets, as tracing does: password, apiKey, client_secret, clientSecret, authorization', () => {
    const text = readFileSync(recorded, 'utf8');
    for (const secret of [...Object.values(secrets), sessionToken]) expect(text).not.toContain(secret);
    const [echo, fromBob] = call(recorded, 'echo');
    expect(echo.params.arguments).toEqual({
      message: 'hi',
      password: '[redacted]',
      apiKey: '[redacted]',
      client_secret: '[redacted]',
      clientSecret: '[redacted]',
      authorization: '[redacted]',
      limits: { maxTokens: 5 },
    });
    expect(fromBob.params.arguments).toEqual({ message: 'from bob' });
    expect(call(recorded, 'login')[0].params.arguments).toEqual({ user: 'alice', password: '[redacted]' });
  });

  it('masks a secret in a result the same way', () => {
    expect(call(recorded, 'login')[0].result.structuredContent).toEqual({ user: 'alice', sessionToken: '[redacted]' });
  });
});

describe('replaying a recording with masked values', () => {
  it('passes against the same server: a masked value matches whatever the server answers now', async () => {
    const { code, stdout } = await mcpctl(['replay', recorded, ...sameServer], { cwd: project.dir });
    expect(stdout).toMatch(/PASS tools\/call login/);
    expect(stdout).toMatch(/PASS tools\/call echo/);
    expect(code, stdout).toBe(0);
  });

  it('--update writes the new answers masked, into a file that stays 0600', async () => {
    const { code, stdout } = await mcpctl(['replay', recorded, '--update', ...sameServer], { cwd: project.dir, env: { VARIANT_PREFIX: 'v2:' } });
    expect(code, stdout).toBe(0);
    expect(stdout).toContain('UPDATED tools/call login');
    const [login] = call(recorded, 'login');
    expect(login.result.content[0].text).toBe('v2:signed in');
    expect(login.result.structuredContent).toEqual({ user: 'alice', sessionToken: '[redacted]' });
    expect(statSync(recorded).mode & 0o777).toBe(0o600);
  });
});
