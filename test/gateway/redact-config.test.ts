import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { defaultRedact, redactFragments } from '../../src/redaction.js';
import { tempDir } from '../helpers/cli.js';
import { connectHttp, echoServer, startServe } from '../helpers/serve.js';
import { startReceiver, type OtlpReceiver } from '../tracing/helpers/otlp-receiver.js';

describe('redactFragments', () => {
  it('extends the default list with redact and with tracing.redact (where the list used to live)', () => {
    expect(redactFragments({})).toEqual(defaultRedact);
    expect(redactFragments({ redact: ['ssn'], tracing: { redact: ['pin', 'token'] } })).toEqual([...defaultRedact, 'ssn', 'pin']);
  });

  it('replaces it when redactDefaults is false', () => {
    expect(redactFragments({ redact: ['ssn'], redactDefaults: false })).toEqual(['ssn']);
    expect(redactFragments({ redactDefaults: false })).toEqual([]);
  });
});

// A real `mcpctl serve` with an mcpctl.json, tracing to a loopback OTLP receiver and recording to a file: the
// configured list applies to both.
describe('the configured redact list, on spans and in the record file alike', () => {
  const temp = tempDir('redact-config');
  const receivers: OtlpReceiver[] = [];
  afterAll(async () => {
    await Promise.all(receivers.map((receiver) => receiver.close()));
    temp.remove();
  });

  /** Serves echo with this config, calls it with `args`; answers the arguments as the span and the file hold them. */
  async function seen(name: string, config: object, args: Record<string, unknown>): Promise<{ span: unknown; recorded: unknown }> {
    const dir = join(temp.dir, name);
    const collector = await startReceiver();
    receivers.push(collector);
    mkdirSync(dir);
    writeFileSync(join(dir, 'mcpctl.json'), JSON.stringify({ entry: echoServer, record: 'calls.jsonl', ...config }));
    const serve = await startServe(['--otlp-endpoint', collector.url], { cwd: dir, env: { LANGFUSE_PUBLIC_KEY: '', LANGFUSE_SECRET_KEY: '' } });
    const client = await connectHttp(serve.url);
    expect((await client.callTool({ name: 'echo', arguments: args })).content).toEqual([{ type: 'text', text: args.message }]);
    await client.close();
    expect(await serve.stop()).toBe(0);
    const echo = collector.spans.find((span) => span.name === 'tools/call echo')!;
    const line = readFileSync(join(dir, 'calls.jsonl'), 'utf8').trim().split('\n').map((text) => JSON.parse(text)).find((entry) => entry.params?.name === 'echo');
    return { span: JSON.parse(echo.attributes['langfuse.observation.input'] as string), recorded: line.params.arguments };
  }

  it('redact and tracing.redact extend the default: clientSecret and authorization are masked too', async () => {
    const args = { message: 'hi', ssn: '078-05-1120', pin: '1234', clientSecret: 'cs-1', authorization: 'Bearer t', note: 'kept' };
    const masked = { message: 'hi', ssn: '[redacted]', pin: '[redacted]', clientSecret: '[redacted]', authorization: '[redacted]', note: 'kept' };
    expect(await seen('extends', { redact: ['ssn'], tracing: { redact: ['pin'] } }, args)).toEqual({ span: masked, recorded: masked });
  });

  it('redactDefaults: false masks only the configured fragments', async () => {
    const args = { message: 'hi', ssn: '078-05-1120', password: 'hunter2' };
    const masked = { message: 'hi', ssn: '[redacted]', password: 'hunter2' };
    expect(await seen('replaces', { redact: ['ssn'], redactDefaults: false }, args)).toEqual({ span: masked, recorded: masked });
  });
});
