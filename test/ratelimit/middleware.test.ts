import { describe, expect, it } from 'vitest';
import { compose } from '../../src/gateway/compose.js';
import { rateLimit } from '../../src/ratelimit/middleware.js';
import { createCtx } from '../../src/gateway/session.js';
import type { Ctx, Direction, JSONRPCNotification, JSONRPCRequest } from '../../src/gateway/types.js';
import { createLogger } from '../../src/log.js';
import { Failover } from '../../src/ratelimit/failover.js';
import type { Limiter } from '../../src/ratelimit/limiter.js';
import { MemoryLimiter } from '../../src/ratelimit/memory-limiter.js';
import { parseRate } from '../../src/ratelimit/rate.js';

const caller = { sub: 'alice', authenticated: true, scopes: new Set<string>() };
const session = { id: 's1', front: 'http' as const };

function setup(limiter: Limiter = new MemoryLimiter({ caller: parseRate('2/min', 'test'), tools: new Map([['search', parseRate('1/min', 'test')]]) })) {
  const lines: string[] = [];
  const logger = createLogger({ format: 'json', write: (line) => lines.push(line) });
  const chain = compose([rateLimit({ limiter, logger })]);
  let reached = 0;
  let id = 0;
  const send = async (method: string, params?: Record<string, unknown>, direction: Direction = 'in'): Promise<Ctx> => {
    const message = { jsonrpc: '2.0', id: ++id, method, ...(params && { params }) } as JSONRPCRequest;
    const ctx = createCtx(direction, message, session, caller, undefined);
    await chain(ctx, async (inner) => {
      reached++;
      inner.response = { jsonrpc: '2.0', id: message.id, result: {} };
    });
    return ctx;
  };
  return { send, lines, reached: () => reached, chain };
}

describe('rateLimit middleware', () => {
  it('refuses over the budget with a JSON-RPC 429, a retry hint and the HTTP answer', async () => {
    const { send, reached } = setup();
    expect((await send('tools/call', { name: 'echo' })).response).toHaveProperty('result');
    expect((await send('tools/call', { name: 'echo' })).response).toHaveProperty('result');
    const refused = await send('tools/call', { name: 'echo' });
    expect(reached()).toBe(2);
    expect(refused.response).toMatchObject({
      id: 3,
      error: { code: 429, message: expect.stringContaining('rate limit exceeded: 2/min per caller; retry after'), data: { limit: '2/min', scope: 'caller' } },
    });
    const data = (refused.response as { error: { data: { retryAfterSeconds: number } } }).error.data;
    expect(data.retryAfterSeconds).toBeGreaterThan(29);
    expect(data.retryAfterSeconds).toBeLessThanOrEqual(30);
    expect(refused.http).toEqual({
      status: 429,
      headers: { 'retry-after': '30', 'ratelimit-policy': '"caller";q=2;w=60', ratelimit: '"caller";r=0;t=30' },
    });
  });

  it('names the tool when its own budget runs dry, and logs every refusal with caller and tool', async () => {
    const { send, lines } = setup();
    await send('tools/call', { name: 'search' });
    const refused = await send('tools/call', { name: 'search' });
    expect(refused.response).toMatchObject({ error: { code: 429, message: expect.stringContaining('"search" allows 1/min per caller'), data: { scope: 'tool', limit: '1/min' } } });
    expect(refused.http?.headers).toMatchObject({ 'retry-after': '60', 'ratelimit-policy': '"tool";q=1;w=60' });
    expect(lines.map((line) => JSON.parse(line))).toEqual([expect.objectContaining({ level: 'warn', msg: 'rate limited', caller: 'alice', tool: 'search', scope: 'tool', limit: '1/min' })]);
  });

  it('counts resources/read and prompts/get, but not ping, list calls or notifications', async () => {
    const { send, chain, reached } = setup();
    for (let i = 0; i < 5; i++) {
      for (const method of ['ping', 'tools/list', 'resources/list', 'prompts/list', 'resources/templates/list']) {
        expect((await send(method)).response).toHaveProperty('result');
      }
      const notification: JSONRPCNotification = { jsonrpc: '2.0', method: 'notifications/progress', params: { progressToken: 1, progress: i } };
      await chain(createCtx('in', notification, session, caller, undefined), async () => {});
    }
    expect((await send('resources/read', { uri: 'test://greeting' })).response).toHaveProperty('result');
    expect((await send('prompts/get', { name: 'hello' })).response).toHaveProperty('result');
    expect((await send('tools/call', { name: 'echo' })).response).toMatchObject({ error: { code: 429 } });
    expect(reached()).toBe(27);
  });

  it('counts initialize: a session is not free, or one caller could open them without end', async () => {
    const { send, reached } = setup();
    expect((await send('initialize')).response).toHaveProperty('result');
    expect((await send('tools/call', { name: 'echo' })).response).toHaveProperty('result');
    expect((await send('initialize')).response).toMatchObject({ error: { code: 429, data: { scope: 'caller' } } });
    expect(reached()).toBe(2);
  });

  it('lets server-to-client requests through', async () => {
    const { send } = setup();
    for (let i = 0; i < 5; i++) expect((await send('tools/call', { name: 'echo' }, 'out')).response).toHaveProperty('result');
  });

  it('admits exactly the budget out of 200 concurrent calls', async () => {
    const { send, reached } = setup(new MemoryLimiter({ caller: parseRate('50/h', 'test'), tools: new Map() }));
    const answers = await Promise.all(Array.from({ length: 200 }, () => send('tools/call', { name: 'echo' })));
    expect(answers.filter((ctx) => ctx.response && 'result' in ctx.response)).toHaveLength(50);
    expect(answers.filter((ctx) => ctx.http?.status === 429)).toHaveLength(150);
    expect(reached()).toBe(50);
  });

  it('refuses with 503 when the shared store is down and the policy is closed, logging the outage once', async () => {
    const lines: string[] = [];
    const logger = createLogger({ format: 'json', write: (line) => lines.push(line) });
    const limits = { caller: parseRate('100/min', 'test'), tools: new Map() };
    const failover = new Failover({ shared: { take: () => Promise.reject(new Error('boom')) }, connected: () => false, policy: 'closed', fallback: new MemoryLimiter(limits), logger, where: 'redis://x' });
    const { send } = setup(failover);
    const refused = await send('tools/call', { name: 'echo' });
    await send('tools/call', { name: 'echo' });
    expect(refused.response).toMatchObject({ error: { code: 503, message: expect.stringContaining('rate-limit store is unreachable'), data: { retryAfterSeconds: 1, scope: 'store' } } });
    expect(refused.http).toEqual({ status: 503, headers: { 'retry-after': '1' } });
    expect(lines.filter((line) => line.includes('is unavailable'))).toHaveLength(1);
  });
});
