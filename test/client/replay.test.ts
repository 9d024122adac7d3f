import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServe } from '../helpers/serve.js';
import { mcpctl, tempDir, variantServer } from './helpers.js';

// Calls are recorded by a real `mcpctl serve --record` over HTTP with auth on, then replayed against fresh
// stdio servers: the same one (passes), and one whose answers changed (VARIANT_PREFIX).
const project = tempDir('client-replay');
const recorded = join(project.dir, 'calls.jsonl');
const inProject = (args: string[], env: Record<string, string> = {}) => mcpctl(args, { cwd: project.dir, env });
const sameServer = ['--', process.execPath, variantServer];
const changed = { VARIANT_PREFIX: 'v2:' };
let token: string;

beforeAll(async () => {
  expect((await inProject(['keys', 'init'])).code).toBe(0);
  token = (await inProject(['token', 'mint', '--sub', 'alice', '--scope', 'tools:call resources:read'])).stdout.trim();
  const serve = await startServe([variantServer, '--dev', '--record', recorded], { cwd: project.dir });
  try {
    // A tool error (exit 1) and a JSON-RPC error (the server has no resources: exit 1) are recorded too.
    const calls = [['call', 'echo', 'message=hi'], ['call', 'fail'], ['call', 'clock'], ['list', 'tools'], ['read', 'test://nothing']];
    for (const call of calls) expect((await inProject([...call, '--url', serve.url, '--token', token])).code).toBeLessThanOrEqual(1);
  } finally {
    expect(await serve.stop()).toBe(0);
  }
});
afterAll(() => project.remove());

const lines = (file: string) => readFileSync(file, 'utf8').trim().split('\n').map((line) => JSON.parse(line));

describe('serve --record', () => {
  it('writes one JSON line per request with method, params, result or error, durationMs, caller and ts, and no token', () => {
    const text = readFileSync(recorded, 'utf8');
    expect(text).not.toContain(token);
    expect(text).not.toContain(token.split('.')[2]);
    const entries = lines(recorded);
    const echo = entries.find((entry) => entry.method === 'tools/call' && entry.params.name === 'echo');
    expect(echo).toEqual({ method: 'tools/call', params: { name: 'echo', arguments: { message: 'hi' } }, result: { content: [{ type: 'text', text: 'hi' }] }, durationMs: expect.any(Number), caller: 'alice', ts: expect.any(String) });
    expect(Date.parse(echo.ts)).not.toBeNaN();
    expect(entries.filter((entry) => entry.method === 'tools/call').map((entry) => entry.params.name)).toEqual(['echo', 'fail', 'clock']);
    expect(entries.at(-1)).toMatchObject({ method: 'resources/read', params: { uri: 'test://nothing' }, error: { code: -32601, message: expect.any(String) } });
    expect(entries.at(-1)).not.toHaveProperty('result');
  });
});

describe('serve --record to a file it cannot write', () => {
  it('refuses to start, saying why (exit 2)', async () => {
    const { code, stderr } = await inProject(['serve', variantServer, '--record', join(project.dir, 'no-such-dir', 'calls.jsonl')]);
    expect(code).toBe(2);
    expect(stderr).toContain('cannot write the record file');
    expect(stderr).toContain('ENOENT');
  });
});

describe('replay', () => {
  it('against the same server: a PASS line per call, exit 0, once the volatile clock is ignored', async () => {
    const strict = await inProject(['replay', recorded, ...sameServer]);
    expect(strict.code).toBe(1);
    expect(strict.stdout).toMatch(/FAIL tools\/call clock .*\n\s+result\.structuredContent\.now\n\s+- "20\d\d-.*"\n\s+\+ "20\d\d-/);
    const { code, stdout } = await inProject(['replay', recorded, '--ignore', '$..now', ...sameServer]);
    expect(code).toBe(0);
    expect(stdout).toMatch(/PASS tools\/call echo \(line \d+, [\d.]+ ms\)/);
    expect(stdout).toContain('PASS tools/list');
    expect(stdout).toContain('PASS resources/read test://nothing');
    expect(stdout).toMatch(/8 passed, 0 failed \(8 calls from .*calls\.jsonl/);
  });

  it('against a changed server: the difference, FAIL, exit 1; --update writes the new answers and then it passes', async () => {
    const copy = join(project.dir, 'update.jsonl');
    writeFileSync(copy, readFileSync(recorded));
    const { code, stdout } = await inProject(['replay', copy, '--ignore', 'result.structuredContent.now', ...sameServer], changed);
    expect(code).toBe(1);
    expect(stdout).toContain('FAIL tools/call echo');
    expect(stdout).toMatch(/result\.content\[0\]\.text\n\s+- "hi"\n\s+\+ "v2:hi"/);
    expect(stdout).toContain('7 passed, 1 failed');

    const update = await inProject(['replay', copy, '--update', '--ignore', 'result.structuredContent.now', ...sameServer], changed);
    expect(update.code).toBe(0);
    expect(update.stdout).toContain('UPDATED tools/call echo');
    expect(lines(copy).find((entry) => entry.params?.name === 'echo').result.content[0].text).toBe('v2:hi');
    expect(lines(copy).filter((entry) => entry.params?.name === 'clock')).toEqual(lines(recorded).filter((entry) => entry.params?.name === 'clock'));
    expect((await inProject(['replay', copy, '--ignore', '$..now', ...sameServer], changed)).code).toBe(0);
  });

  it('a hand-written file of expect entries: each check, its failure said in words', async () => {
    const file = join(project.dir, 'smoke.jsonl');
    const call = (name: string, args: object = {}) => ({ method: 'tools/call', params: { name, arguments: args } });
    const passing = [
      { name: 'echo says hi', ...call('echo', { message: 'hi' }), expect: { isError: false, contains: 'hi', equals: { 'result.content[0].text': 'hi' }, matches: { 'result.content[0].text': '^h' }, maxMs: 10_000 } },
      { ...call('fail'), expect: { isError: true, contains: ['it', 'failed'] } },
      { ...call('clock'), expect: { matches: { '$.result.structuredContent.now': '^\\d{4}-\\d\\d-\\d\\dT' } } },
      { method: 'tools/list', expect: { equals: { 'result.tools[0].name': 'echo' } } },
    ];
    writeFileSync(file, passing.map((entry) => JSON.stringify(entry)).join('\n'));
    const pass = await inProject(['replay', file, ...sameServer]);
    expect(pass.code, pass.stdout).toBe(0);
    expect(pass.stdout).toContain('PASS echo says hi');

    const failing = [
      { ...call('echo', { message: 'hi' }), expect: { isError: true, contains: 'bye', equals: { 'result.content[0].text': 'hello' }, matches: { 'result.content[0].text': '^x' }, maxMs: 0.001 } },
    ];
    writeFileSync(file, failing.map((entry) => JSON.stringify(entry)).join('\n'));
    const fail = await inProject(['replay', file, ...sameServer]);
    expect(fail.code).toBe(1);
    expect(fail.stdout).toContain('expected an error, the call succeeded');
    expect(fail.stdout).toContain('expected the answer to contain "bye"');
    expect(fail.stdout).toContain('result.content[0].text: expected "hello", got "hi"');
    expect(fail.stdout).toContain('result.content[0].text: expected to match /^x/, got "hi"');
    expect(fail.stdout).toMatch(/took [\d.]+ ms, more than maxMs 0.001/);
  });

  it('--reporter junit writes JUnit XML, to --output or to stdout', async () => {
    const report = join(project.dir, 'replay.xml');
    const { code } = await inProject(['replay', recorded, '--reporter', 'junit', '--output', report, '--ignore', '$..now', ...sameServer], changed);
    expect(code).toBe(1);
    const xml = readFileSync(report, 'utf8');
    expect(XMLValidator.validate(xml)).toBe(true);
    const suite = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '' }).parse(xml).testsuites.testsuite;
    expect(suite).toMatchObject({ name: 'calls.jsonl', tests: '8', failures: '1' });
    const failed = suite.testcase.filter((each: { failure?: unknown }) => each.failure);
    expect(failed).toHaveLength(1);
    expect(failed[0].name).toMatch(/^tools\/call echo \(line \d+\)$/);
    expect(failed[0].failure['#text']).toContain('+ "v2:hi"');

    const toStdout = await inProject(['replay', recorded, '--reporter', 'junit', '--ignore', '$..now', ...sameServer]);
    expect(toStdout.code).toBe(0);
    expect(XMLValidator.validate(toStdout.stdout)).toBe(true);
    expect(toStdout.stderr).toContain('8 passed, 0 failed');
  });

  it('a broken calls file is a usage error naming the line (exit 2), before any server starts', async () => {
    const file = join(project.dir, 'broken.jsonl');
    writeFileSync(file, '{"method":"tools/list","expect":{}}\n{"method":"tools/call","params":{"name":"echo"}}\n');
    const { code, stderr } = await inProject(['replay', file, '--', 'mcpctl-no-such-server']);
    expect(code).toBe(2);
    expect(stderr).toContain('broken.jsonl:2: give a recorded "result" or "error", or an "expect" object');
  });

  it('an expect path that cannot name one place is refused before any call (exit 2)', async () => {
    const file = join(project.dir, 'bad-path.jsonl');
    writeFileSync(file, '{"method":"tools/list","expect":{"equals":{"result.tools[*].name":"echo"}}}\n');
    const wildcard = await inProject(['replay', file, '--', 'mcpctl-no-such-server']);
    expect(wildcard.code).toBe(2);
    expect(wildcard.stderr).toContain('bad-path.jsonl:1: expect.equals["result.tools[*].name"]: wildcards only work in --ignore paths');
    writeFileSync(file, '{"method":"tools/list","expect":{"matches":{"result..[":"x"}}}\n');
    const unreadable = await inProject(['replay', file, '--', 'mcpctl-no-such-server']);
    expect(unreadable.code).toBe(2);
    expect(unreadable.stderr).toContain('bad-path.jsonl:1: expect.matches: cannot read the path');
  });
});
