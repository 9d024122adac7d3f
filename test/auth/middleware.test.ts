import { describe, expect, it } from 'vitest';
import { compose } from '../../src/gateway/compose.js';
import { auth, type AuthOptions } from '../../src/auth/middleware.js';
import { createCtx } from '../../src/gateway/session.js';
import type { Caller, Ctx, Direction, JSONRPCNotification, JSONRPCRequest } from '../../src/gateway/types.js';
import { createLogger } from '../../src/log.js';

const metadata = 'http://127.0.0.1:8080/.well-known/oauth-protected-resource/mcp';
const lists: Record<string, Record<string, unknown>> = {
  'tools/list': { tools: [{ name: 'echo' }, { name: 'fail' }, { name: 'admin' }], nextCursor: 'c2' },
  'prompts/list': { prompts: [{ name: 'hello' }, { name: 'secret' }] },
  'resources/list': { resources: [{ uri: 'test://greeting', name: 'g' }, { uri: 'test://private', name: 'p' }] },
  'resources/templates/list': { resourceTemplates: [{ uriTemplate: 'test://{id}', name: 't' }] },
};

function callerWith(scopes: string[], extra: Partial<Caller> = {}): Caller {
  return { sub: 'alice', authenticated: true, scopes: new Set(scopes), expiresAt: Date.now() + 60_000, ...extra };
}

function setup(options: Partial<AuthOptions> = {}) {
  const lines: string[] = [];
  const logger = createLogger({ format: 'json', write: (line) => lines.push(line) });
  const chain = compose([auth({ logger, resourceMetadataUrl: metadata, ...options })]);
  let reached = 0;
  let id = 0;
  const send = async (caller: Caller, method: string, params?: Record<string, unknown>, front: 'http' | 'stdio' = 'http', direction: Direction = 'in'): Promise<Ctx> => {
    const message = { jsonrpc: '2.0', id: ++id, method, ...(params && { params }) } as JSONRPCRequest;
    const ctx = createCtx(direction, message, { id: 's1', front }, caller, undefined);
    await chain(ctx, async (inner) => {
      reached++;
      inner.response = { jsonrpc: '2.0', id: message.id, result: lists[method] ?? {} };
    });
    return ctx;
  };
  return { send, lines, reached: () => reached, chain };
}

const namesOf = (ctx: Ctx, field: string): unknown[] =>
  ((ctx.response as { result: Record<string, { name?: string; uri?: string }[]> }).result[field] ?? []).map((entry) => (field === 'resources' ? entry.uri : entry.name));

describe('auth middleware', () => {
  it('lets a tool call through with tools:call, tools:<name> or a scope auth.tools lists for it', async () => {
    const { send, reached } = setup({ tools: { admin: ['ops', 'root'] } });
    await send(callerWith(['tools:call']), 'tools/call', { name: 'admin' });
    await send(callerWith(['tools:echo']), 'tools/call', { name: 'echo' });
    await send(callerWith(['root']), 'tools/call', { name: 'admin' });
    expect(reached()).toBe(3);
  });

  it('refuses a call outside the scopes before the server, with 403 insufficient_scope on HTTP, and logs it', async () => {
    const { send, reached, lines } = setup({ tools: { admin: ['ops'] } });
    const ctx = await send(callerWith(['tools:echo', 'tools:fail-not']), 'tools/call', { name: 'fail' });
    expect(reached()).toBe(0);
    expect(ctx.response).toMatchObject({ id: 1, error: { code: -32009, data: { scope: 'tools:fail' } } });
    expect((ctx.response as { error: { message: string } }).error.message).toContain('tools:fail');
    expect(ctx.http).toEqual({
      status: 403,
      headers: { 'www-authenticate': `Bearer error="insufficient_scope", scope="tools:fail", resource_metadata="${metadata}"` },
    });
    const logged = lines.map((line) => JSON.parse(line) as Record<string, unknown>).find((line) => line.msg === 'authorization failure');
    expect(logged).toMatchObject({ level: 'warn', caller: 'alice', method: 'tools/call', target: 'fail', needs: 'tools:fail' });
    // Listed scopes of another tool do not carry over.
    await send(callerWith(['ops']), 'tools/call', { name: 'echo' });
    expect(reached()).toBe(0);
  });

  it('answers stdio refusals with the JSON-RPC error alone', async () => {
    const { send } = setup();
    const ctx = await send(callerWith([]), 'tools/call', { name: 'echo' }, 'stdio');
    expect(ctx.response).toHaveProperty('error.code', -32009);
    expect(ctx.http).toBeUndefined();
  });

  it('names no scope in the challenge when the tool name cannot be sent in a header', async () => {
    const { send } = setup();
    const ctx = await send(callerWith([]), 'tools/call', { name: 'say "hi"\r\nx: y' });
    expect(ctx.http?.headers?.['www-authenticate']).toBe(`Bearer error="insufficient_scope", resource_metadata="${metadata}"`);
  });

  it('requires tools:call for a call that names no tool', async () => {
    const { send, reached } = setup();
    await send(callerWith(['tools:echo']), 'tools/call', {});
    expect(reached()).toBe(0);
    await send(callerWith(['tools:call']), 'tools/call', {});
    expect(reached()).toBe(1);
  });

  it('filters tools/list to the tools the caller may call, keeping the cursor', async () => {
    const { send } = setup({ tools: { admin: ['ops'] } });
    const ctx = await send(callerWith(['tools:echo', 'ops']), 'tools/list');
    expect(namesOf(ctx, 'tools')).toEqual(['echo', 'admin']);
    expect(ctx.response).toHaveProperty('result.nextCursor', 'c2');
    expect(namesOf(await send(callerWith(['tools:call']), 'tools/list'), 'tools')).toEqual(['echo', 'fail', 'admin']);
    expect(namesOf(await send(callerWith([]), 'tools/list'), 'tools')).toEqual([]);
  });

  it('applies the same rules to resources and prompts', async () => {
    const { send, reached } = setup({ prompts: { secret: ['ops'] }, resources: { 'test://private': ['ops'] } });
    const reader = callerWith(['resources:test://greeting', 'prompts:hello']);
    expect(namesOf(await send(reader, 'resources/list'), 'resources')).toEqual(['test://greeting']);
    expect(namesOf(await send(reader, 'prompts/list'), 'prompts')).toEqual(['hello']);
    expect(namesOf(await send(reader, 'resources/templates/list'), 'resourceTemplates')).toEqual([]);
    expect(namesOf(await send(callerWith(['resources:read']), 'resources/templates/list'), 'resourceTemplates')).toEqual(['t']);
    const before = reached();
    await send(reader, 'resources/read', { uri: 'test://greeting' });
    await send(reader, 'prompts/get', { name: 'hello' });
    await send(callerWith(['ops']), 'prompts/get', { name: 'secret' });
    await send(callerWith(['resources:read']), 'resources/read', { uri: 'test://private' });
    expect(reached() - before).toBe(4);
    const refused = await send(reader, 'resources/read', { uri: 'test://private' });
    expect(refused.http?.headers?.['www-authenticate']).toContain('scope="resources:test://private"');
    await send(reader, 'prompts/get', { name: 'secret' });
    await send(reader, 'resources/subscribe', { uri: 'test://private' });
    await send(reader, 'completion/complete', { ref: { type: 'ref/prompt', name: 'secret' }, argument: { name: 'a', value: '' } });
    await send(reader, 'completion/complete', { ref: { type: 'ref/resource', uri: 'test://{id}' }, argument: { name: 'id', value: '' } });
    expect(reached() - before).toBe(4);
  });

  it('passes protocol requests, notifications and server-to-client requests without scopes', async () => {
    const { send, reached, chain } = setup();
    const nobody = callerWith([]);
    await send(nobody, 'initialize', { protocolVersion: '2025-11-25', capabilities: {}, clientInfo: { name: 'c', version: '1' } });
    await send(nobody, 'ping');
    await send(nobody, 'sampling/createMessage', { messages: [] }, 'http', 'out');
    const notification: JSONRPCNotification = { jsonrpc: '2.0', method: 'notifications/initialized' };
    let forwarded = false;
    await chain(createCtx('in', notification, { id: 's1', front: 'http' }, nobody, undefined), async () => {
      forwarded = true;
    });
    expect(reached()).toBe(3);
    expect(forwarded).toBe(true);
  });

  it('refuses every request once the caller\'s token has expired (stdio sessions outlive tokens)', async () => {
    const { send, reached, lines } = setup({ clockToleranceMs: 1000 });
    const expired = callerWith(['tools:call'], { expiresAt: Date.now() - 1500 });
    const stdio = await send(expired, 'tools/call', { name: 'echo' }, 'stdio');
    expect(stdio.response).toMatchObject({ error: { code: -32009 } });
    expect((stdio.response as { error: { message: string } }).error.message).toMatch(/token has expired.*MCPCTL_TOKEN/);
    const http = await send(expired, 'ping');
    expect(http.http?.status).toBe(401);
    expect(http.http?.headers?.['www-authenticate']).toContain('error="invalid_token"');
    // Within the clock tolerance the token still counts.
    await send(callerWith(['tools:call'], { expiresAt: Date.now() - 500 }), 'tools/call', { name: 'echo' });
    expect(reached()).toBe(1);
    expect(lines.some((line) => line.includes('authentication failed'))).toBe(true);
  });

  it('refuses a caller that is not authenticated', async () => {
    const { send, reached } = setup();
    await send({ sub: '127.0.0.1', authenticated: false, scopes: new Set(['tools:call']) }, 'tools/call', { name: 'echo' });
    expect(reached()).toBe(0);
  });
});
