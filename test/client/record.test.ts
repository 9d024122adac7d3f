import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createRecorder } from '../../src/client/record.js';
import { compose } from '../../src/gateway/compose.js';
import { createCtx } from '../../src/gateway/session.js';
import type { Caller, Direction, JSONRPCNotification, JSONRPCRequest, JSONRPCResponse } from '../../src/gateway/types.js';
import { createLogger } from '../../src/log.js';
import { tempDir } from './helpers.js';

// The recorder alone, in a chain ending in a stub back: what it writes for each kind of message.
const temp = tempDir('client-record');
afterAll(() => temp.remove());

const alice: Caller = { sub: 'alice', authenticated: true, scopes: new Set(['tools:call']), claims: { sub: 'alice', email: 'a@example.test' } };

describe('createRecorder', () => {
  it('writes client requests with their answers: result or error, durationMs, caller by name, ts; not _meta', async () => {
    const file = join(temp.dir, 'calls.jsonl');
    const recorder = await createRecorder(file, { logger: createLogger({ write: () => {} }) });
    const chain = compose([recorder.middleware]);
    const send = (message: JSONRPCRequest | JSONRPCNotification, answer: ((id: number) => JSONRPCResponse) | undefined, direction: Direction = 'in') =>
      chain(createCtx(direction, message, { id: 's1', front: 'http' }, alice, { authorization: 'Bearer secret.token.here' }), async (ctx) => {
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
      const recorder = await createRecorder(file, { logger: createLogger({ write: () => {} }) });
      await compose([recorder.middleware])(createCtx('in', { jsonrpc: '2.0', id: run, method: 'ping' }, { id: 's', front: 'stdio' }, alice, undefined), async (ctx) => {
        ctx.response = { jsonrpc: '2.0', id: run, result: {} };
      });
      await recorder.close!();
    }
    expect(readFileSync(file, 'utf8').trim().split('\n')).toHaveLength(2);
  });
});
