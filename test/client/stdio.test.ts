import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { echoServer, mcpctlBin, repoRoot } from '../helpers/serve.js';
import { hangingServer, mcpctl, tempDir, templateServer } from './helpers.js';

// Real stdio servers, started by the built CLI after "--": the full template's server (through mcpctl serve,
// which runs its .ts source) and the echo fixture (run directly with node).
const template = ['--', process.execPath, mcpctlBin, 'serve', templateServer];
const echo = ['--', process.execPath, echoServer];
const temp = tempDir('client-stdio');
afterAll(() => temp.remove());

describe('list', () => {
  it('shows every kind the server offers as tables: name, required arguments, description', async () => {
    const { code, stdout } = await mcpctl(['list', ...template]);
    expect(code).toBe(0);
    expect(stdout).toMatch(/Tools \(3\)\nNAME\s+REQUIRED\s+DESCRIPTION\n/);
    expect(stdout).toMatch(/add\s+a:number b:number\s+Add two numbers/);
    expect(stdout).toMatch(/Resources \(\d+\)[\s\S]*info:\/\/about/);
    expect(stdout).toMatch(/Resource templates \(1\)[\s\S]*docs:\/\/\{topic\}/);
    expect(stdout).toMatch(/Prompts \(1\)[\s\S]*summarize\s+text\s+Ask the model/);
  });

  it('--json prints the result objects as the server sent them', async () => {
    const { code, stdout } = await mcpctl(['list', 'tools', '--json', ...template]);
    expect(code).toBe(0);
    const result = JSON.parse(stdout) as { tools: { name: string; inputSchema: unknown; annotations?: unknown; outputSchema?: unknown }[] };
    expect(Object.keys(result)).toEqual(['tools']);
    const add = result.tools.find((tool) => tool.name === 'add')!;
    expect(add.annotations).toEqual({ readOnlyHint: true });
    expect(add.inputSchema).toMatchObject({ type: 'object', required: ['a', 'b'] });
    expect(result.tools.find((tool) => tool.name === 'text_stats')!.outputSchema).toBeDefined();
  });
});

describe('call', () => {
  it('coerces key=value by the input schema (numbers, enums) and prints the text', async () => {
    const add = await mcpctl(['call', 'add', 'a=2', 'b=40', ...template]);
    expect(add).toMatchObject({ code: 0, stdout: '42' });
    const greet = await mcpctl(['call', 'greet', 'name=Ada', 'language=fr', ...template]);
    expect(greet).toMatchObject({ code: 0, stdout: 'Bonjour, Ada!' });
  });

  it('--json prints the whole CallToolResult, structured content included', async () => {
    const { code, stdout } = await mcpctl(['call', 'text_stats', 'text=one two\nthree', '--json', ...template]);
    expect(code).toBe(0);
    const result = JSON.parse(stdout);
    expect(result.structuredContent).toEqual({ characters: 13, words: 3, lines: 2 });
    expect(result.content).toEqual([{ type: 'text', text: JSON.stringify({ characters: 13, words: 3, lines: 2 }) }]);
  });

  it('--args takes JSON; the server command after -- keeps its own flags', async () => {
    const { code, stdout } = await mcpctl(['call', 'echo', '--args', '{"message":"--json"}', '--', process.execPath, echoServer, '--json']);
    expect({ code, stdout }).toEqual({ code: 0, stdout: '--json' });
  });

  it('exits 1 when the tool answers isError, with its text on stderr', async () => {
    const { code, stdout, stderr } = await mcpctl(['call', 'fail', ...echo]);
    expect(code).toBe(1);
    expect(stdout).toBe('');
    expect(stderr).toContain('it failed');
    const json = await mcpctl(['call', 'fail', '--json', ...echo]);
    expect(json.code).toBe(1);
    expect(JSON.parse(json.stdout)).toEqual({ content: [{ type: 'text', text: 'it failed' }], isError: true });
  });

  it('names a missing required argument and exits 2 without calling the tool', async () => {
    const record = join(temp.dir, 'missing.jsonl');
    const { code, stderr } = await mcpctl(['call', 'add', 'a=2', '--', process.execPath, mcpctlBin, 'serve', templateServer, '--record', record]);
    expect(code).toBe(2);
    expect(stderr).toContain('tool "add" needs argument b (number)');
    const methods = readFileSync(record, 'utf8').trim().split('\n').map((line) => JSON.parse(line).method);
    expect(methods).toEqual(['initialize', 'tools/list']);
  });

  it('exits 2 for a tool the server lacks, or a value that does not fit', async () => {
    const unknown = await mcpctl(['call', 'nope', ...echo]);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('the server has no tool "nope"');
    expect((await mcpctl(['call', 'add', 'a=two', 'b=1', ...template])).stderr).toContain('a: expected number, got "two"');
  });
});

describe('read and prompt', () => {
  it('read prints the text of a resource; --json the ReadResourceResult', async () => {
    expect(await mcpctl(['read', 'docs://tools', ...template])).toMatchObject({ code: 0, stdout: 'greet, add and text_stats: call them with tools/call.' });
    const json = JSON.parse((await mcpctl(['read', 'test://greeting', '--json', ...echo])).stdout);
    expect(json).toEqual({ contents: [{ uri: 'test://greeting', text: 'hello' }] });
  });

  it('prompt fills in the arguments, and names a missing required one (exit 2)', async () => {
    const { code, stdout } = await mcpctl(['prompt', 'summarize', 'text=MCP is a protocol', 'style=detailed', ...template]);
    expect(code).toBe(0);
    expect(stdout).toBe('user: Summarize in a few paragraphs:\n\nMCP is a protocol');
    const missing = await mcpctl(['prompt', 'summarize', ...template]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('prompt "summarize" needs argument text');
  });
});

describe('servers that fail', () => {
  it('a server that never answers: exit 5 after --timeout', async () => {
    const started = performance.now();
    const { code, stderr } = await mcpctl(['list', '--timeout', '1s', '--', process.execPath, hangingServer]);
    expect(code).toBe(5);
    expect(stderr).toContain('did not answer initialize within 1s');
    expect(performance.now() - started).toBeLessThan(15_000);
  });

  it('a tool slower than --timeout: exit 5, not the auth refusal the SDK\'s timeout code once meant', async () => {
    const { code, stderr } = await mcpctl(['call', 'slow', 'steps=1', 'ms=5000', '--timeout', '1s', ...echo]);
    expect(code).toBe(5);
    expect(stderr).toContain('did not answer tools/call within 1s');
  });

  it('a command that does not exist, or a server that exits: exit 4 with its last words', async () => {
    const missing = await mcpctl(['list', '--', 'mcpctl-no-such-server']);
    expect(missing.code).toBe(4);
    expect(missing.stderr).toContain('cannot start "mcpctl-no-such-server": command not found');
    const crash = await mcpctl(['list', '--', process.execPath, '-e', 'console.error("no config found"); process.exit(7)']);
    expect(crash.code).toBe(4);
    expect(crash.stderr).toContain('exited with code 7');
    expect(crash.stderr).toContain('no config found');
  });
});

describe('a server that misbehaves on stdout', () => {
  const hostile = ['--', process.execPath, join(repoRoot, 'test/fixtures/hostile-server.mjs')];

  it("a line over the SDK's 10 MiB limit is skipped as it streams past; the call's real answer still comes", async () => {
    const { code, stdout } = await mcpctl(['call', 'emit', 'size=11000000', ...hostile]);
    expect(code).toBe(0);
    expect(stdout).toBe('emitted');
  });

  it('lines that are not JSON-RPC are skipped, and the call goes on', async () => {
    const { code, stdout } = await mcpctl(['call', 'emit', '--args', JSON.stringify({ lines: ['not json', '{"foo":1}', '42'] }), ...hostile]);
    expect(code).toBe(0);
    expect(stdout).toBe('emitted');
  });
});

describe('--config and --server (mcpServers files)', () => {
  const file = join(temp.dir, 'mcp.json');
  writeFileSync(
    file,
    JSON.stringify({
      mcpServers: {
        echo: { command: process.execPath, args: [echoServer] },
        template: { command: process.execPath, args: [mcpctlBin, 'serve', templateServer], env: { NO_COLOR: '1' } },
        remote: { url: 'http://127.0.0.1:9/mcp' },
      },
    }),
  );

  it('runs the named server', async () => {
    expect(await mcpctl(['call', 'echo', 'message=from config', '--config', file, '--server', 'echo'])).toMatchObject({ code: 0, stdout: 'from config' });
    expect(await mcpctl(['call', 'add', 'a=1', 'b=2', '--config', file, '--server', 'template'])).toMatchObject({ code: 0, stdout: '3' });
  });

  it('needs --server when the file lists several, and names them; an unknown one is exit 2', async () => {
    const several = await mcpctl(['list', '--config', file]);
    expect(several.code).toBe(2);
    expect(several.stderr).toContain('servers: echo, template, remote');
    expect((await mcpctl(['list', '--config', file, '--server', 'nope'])).stderr).toContain('has no server "nope"');
    const single = join(temp.dir, 'single.json');
    writeFileSync(single, JSON.stringify({ mcpServers: { only: { command: process.execPath, args: [echoServer] } } }));
    expect(await mcpctl(['call', 'echo', 'message=only one', '--config', single])).toMatchObject({ code: 0, stdout: 'only one' });
  });
});

describe('usage errors (exit 2, before any server starts)', () => {
  it.each([
    [['list'], 'no server to talk to'],
    [['list', '--url', 'http://127.0.0.1:9/mcp', '--', 'node'], 'give one server to talk to, not --url and a command after --'],
    [['list', 'bogus', ...echo], 'cannot list "bogus"'],
    [['list', '--url', 'ftp://127.0.0.1/'], 'must be an http:// or https:// URL'],
    [['list', '--header', 'X-Key: 1', ...echo], '--header only applies to HTTP servers'],
    [['list', '--header', 'no colon', '--url', 'http://127.0.0.1:9/mcp'], 'is not "Name: value"'],
    [['list', '--scope', 'tools:call', ...echo], '--scope goes with --as'],
    [['list', '--timeout', 'soon', ...echo], 'invalid --timeout "soon"'],
    [['list', '--token', 'Bearer abc', ...echo], '--token must be the token alone: no spaces'],
    [['list', '--token', '', ...echo], '--token must be the token alone'],
    [['list', '--timeout', '5', ...echo], 'invalid --timeout "5": it needs a unit\ndid you mean 5s?'],
    [['read', ...echo], 'missing uri'],
  ])('%j', async (args, message) => {
    const { code, stderr } = await mcpctl(args);
    expect(code).toBe(2);
    expect(stderr).toContain(message);
  });
});
