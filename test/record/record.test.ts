import { chmodSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createRecorder } from '../../src/record/index.js';
import { compose } from '../../src/gateway/compose.js';
import { createCtx } from '../../src/gateway/session.js';
import type { Caller, Direction, JSONRPCNotification, JSONRPCRequest, JSONRPCResponse } from '../../src/gateway/types.js';
import { createLogger } from '../../src/log.js';
import { defaultRedact } from '../../src/redaction.js';
import { tempDir } from '../client/helpers.js';

// The recorder alone, in a chain ending in a stub back: what it writes for each kind of message.
const temp = tempDir('client-record');
afterAll(() => temp.remove());

const alice: Caller = { sub: 'alice', authenticated: true, scopes: new Set(['tools:call']), claims: { sub: 'alice', email: 'a@example.test' } };
const quiet = { logger: createLogger({ write: () => {} }), redact: defaultRedact };

/** Records one call answered by `answer`, and returns the line written for it. */
async function recordOne(file: string, redact: readonly string[], request: JSONRPCRequest, answer: JSONRPCResponse): Promise<Record<string, unknown>> {
  const recorder = await createRecorder(file, { ...quiet, redact });
  await compose([recorder.middleware!])(createCtx('in', request, { id: 's', front: 'http' }, alice, undefined), async (ctx) => {
    ctx.response = answer;
  });
  await recorder.close!();
  return JSON.parse(readFileSync(file, 'utf8').trim().split('\n').at(-1)!) as Record<string, unknown>;
}

describe('createRecorder', () => {
  it('writes client requests with their answers: result or error, durationMs, caller by name, ts; not _meta', async () => {
    const file = join(temp.dir, 'calls.jsonl');
    const recorder = await createRecorder(file, quiet);
    const chain = compose([recorder.middleware!]);
    const send = (message: JSONRPCRequest | JSONRPCNotification, answer: ((id: number) => JSONRPCResponse) | undefined, direction: Direction = 'in') =>
      chain(createCtx(direction, message, { id: 's1', front: 'http' }, alice, new Headers({ authorization: 'Bearer secret.token.here' })), async (ctx) => {
        if (answer && 'id' in message) ctx.response = answer(message.id as number);
      });

    await send({ jsonrpc: '2.0', id: 1, method: 'tools/call', params: { name: 'echo', arguments: { message: 'hi' }, _meta: { progressToken: 7 } } }, (id) => ({ jsonrpc: '2.0', id, result: { content: [] } }));
    await send({ jsonrpc: '2.0', id: 2, method: 'prompts/get', params: { name: 'nope' } }, (id) => ({ jsonrpc: '2.0', id, error: { code: -32602, message: 'no prompt' } }) as JSONRPCResponse);
    await send({ jsonrpc: '2.0', method: 'notifications/initialized' }, undefined);
    await send({ jsonrpc: '2.0', id: 3, method: 'sampling/createMessage', params: {} }, (id) => ({ jsonrpc: '2.0', id, result: {} }), 'out');
    await send({ jsonrpc: '2.0', id: 4, method: 'tools/call', params: { name: 'slow' } }, undefined);
    await recorder.close!();

    const text = readFileSync(file, 'utf8');
    expect(text).not.toContain('secret');
    expect(text).not.toContain('a@example.test');
    const lines = text.trim().split('\n').map((line) => JSON.parse(line));
    expect(lines).toEqual([
      { method: 'tools/call', params: { name: 'echo', arguments: { message: 'hi' } }, result: { content: [] }, durationMs: expect.any(Number), caller: 'alice', ts: expect.any(String) },
      { method: 'prompts/get', params: { name: 'nope' }, error: { code: -32602, message: 'no prompt' }, durationMs: expect.any(Number), caller: 'alice', ts: expect.any(String) },
    ]);
    expect(recorder.description).toBe(`recording to ${file}`);
  });

  it('appends to an existing file', async () => {
    const file = join(temp.dir, 'append.jsonl');
    for (let run = 0; run < 2; run++) {
      const recorder = await createRecorder(file, quiet);
      await compose([recorder.middleware!])(createCtx('in', { jsonrpc: '2.0', id: run, method: 'ping' }, { id: 's', front: 'stdio' }, alice, undefined), async (ctx) => {
        ctx.response = { jsonrpc: '2.0', id: run, result: {} };
      });
      await recorder.close!();
    }
    expect(readFileSync(file, 'utf8').trim().split('\n')).toHaveLength(2);
  });

  it('masks secrets by key in params and answers, with the default list, at any depth; counts and flags stay', async () => {
    const request: JSONRPCRequest = {
      jsonrpc: '2.0',
      id: 1,
      method: 'tools/call',
      params: { name: 'login', arguments: { user: 'bo', password: 'hunter2', apiKey: 'sk-1', auth: { client_secret: 'cs-1', clientSecret: 'cs-2' }, headers: [{ authorization: 'Bearer t' }], maxTokens: 5, keepKey: true } },
    };
    const line = await recordOne(join(temp.dir, 'secrets.jsonl'), defaultRedact, request, { jsonrpc: '2.0', id: 1, result: { content: [], structuredContent: { user: 'bo', sessionToken: 'st-1' } } });
    expect(line.params).toEqual({
      name: 'login',
      arguments: { user: 'bo', password: '[redacted]', apiKey: '[redacted]', auth: { client_secret: '[redacted]', clientSecret: '[redacted]' }, headers: [{ authorization: '[redacted]' }], maxTokens: 5, keepKey: true },
    });
    expect(line.result).toEqual({ content: [], structuredContent: { user: 'bo', sessionToken: '[redacted]' } });

    const failed = await recordOne(join(temp.dir, 'secrets.jsonl'), defaultRedact, request, { jsonrpc: '2.0', id: 1, error: { code: -32000, message: 'bad login', data: { apiKey: 'sk-1' } } } as JSONRPCResponse);
    expect(failed.error).toEqual({ code: -32000, message: 'bad login', data: { apiKey: '[redacted]' } });
    expect(readFileSync(join(temp.dir, 'secrets.jsonl'), 'utf8')).not.toMatch(/hunter2|sk-1|cs-1|cs-2|Bearer t|st-1/);
  });

  it('masks what the list it is given names, and nothing when it is empty', async () => {
    const request: JSONRPCRequest = { jsonrpc: '2.0', id: 1, method: 'tools/call', params: { name: 'check', arguments: { ssn: '078-05-1120', password: 'p' } } };
    const answer: JSONRPCResponse = { jsonrpc: '2.0', id: 1, result: { content: [] } };
    expect((await recordOne(join(temp.dir, 'only.jsonl'), ['ssn'], request, answer)).params).toEqual({ name: 'check', arguments: { ssn: '[redacted]', password: 'p' } });
    expect((await recordOne(join(temp.dir, 'none.jsonl'), [], request, answer)).params).toEqual(request.params);
  });

  it('creates the file readable by its owner only (0600); an existing file keeps its mode', async () => {
    const answer: JSONRPCResponse = { jsonrpc: '2.0', id: 1, result: {} };
    const ping: JSONRPCRequest = { jsonrpc: '2.0', id: 1, method: 'ping' };
    const created = join(temp.dir, 'new.jsonl');
    await recordOne(created, defaultRedact, ping, answer);
    expect(statSync(created).mode & 0o777).toBe(0o600);
    const existing = join(temp.dir, 'shared.jsonl');
    writeFileSync(existing, '');
    chmodSync(existing, 0o640);
    await recordOne(existing, defaultRedact, ping, answer);
    expect(statSync(existing).mode & 0o777).toBe(0o640);
  });
});
