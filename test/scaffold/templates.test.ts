import { spawn } from 'node:child_process';
import { join } from 'node:path';
import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { execa } from 'execa';
import { afterAll, describe, expect, it } from 'vitest';
import { connectHttp, connectStdio, repoRoot, startServe } from '../helpers/serve.js';
import { runCli, tempDir } from '../helpers/cli.js';

// Each template is generated, installed (mcpctl linked from this repo), built and tested once, the two templates
// one after the other: the machine has two cores and npm takes what it can from its warm cache.
const npmEnv = { npm_config_prefer_offline: 'true', npm_config_audit: 'false', npm_config_fund: 'false', npm_config_update_notifier: 'false' };
const temp = tempDir('templates');
afterAll(() => temp.remove());

const projects = {
  minimal: { tools: ['greet'], call: { name: 'greet', arguments: { name: 'Ada' } }, answer: 'Hello, Ada!' },
  full: { tools: ['add', 'greet', 'text_stats'], call: { name: 'add', arguments: { a: 2, b: 40 } }, answer: '42' },
};

async function npmRun(dir: string, script: string): Promise<void> {
  const result = await execa('npm', ['run', script], { cwd: dir, env: npmEnv, reject: false, all: true });
  expect(result.exitCode, result.all).toBe(0);
}

async function toolNames(client: Client): Promise<string[]> {
  return (await client.listTools()).tools.map((tool) => tool.name).sort();
}

describe.each(Object.entries(projects))('the %s template', (template, expected) => {
  const dir = join(temp.dir, `${template}-server`);

  it('is generated, installs with npm install, builds, and passes its own npm test', async () => {
    const init = await runCli(['init', `${template}-server`, '--template', template, '--no-git', '--mcpctl', `file:${repoRoot}`], { cwd: temp.dir, env: npmEnv });
    expect(init.code, init.stderr).toBe(0);
    expect(init.stdout).toContain('Installed dependencies.');
    await npmRun(dir, 'build');
    await npmRun(dir, 'test');
  }, 300_000);

  it('serves over stdio when run directly (node dist/server.js)', async () => {
    const client = await connectStdio(process.execPath, ['dist/server.js'], { cwd: dir });
    try {
      expect(await toolNames(client)).toEqual(expected.tools);
      const result = await client.callTool(expected.call);
      expect(result.content).toEqual([{ type: 'text', text: expected.answer }]);
    } finally {
      await client.close();
    }
  });
});

describe('a generated project behind the gateway', () => {
  it('the full project: mcpctl serve dist/server.js with its mcpctl.json (rate limits, tracing)', async () => {
    const serve = await startServe(['dist/server.js'], { cwd: join(temp.dir, 'full-server') });
    try {
      const client = await connectHttp(serve.url);
      expect(await toolNames(client)).toEqual(projects.full.tools);
      const result = await client.callTool({ name: 'text_stats', arguments: { text: 'served by mcpctl' } });
      expect(result.structuredContent).toEqual({ characters: 16, words: 3, lines: 1 });
      expect((await client.readResource({ uri: 'docs://tools' })).contents[0]).toMatchObject({ text: expect.stringContaining('greet') });
      await client.close();
    } finally {
      expect(await serve.stop()).toBe(0);
    }
  });

  it('the minimal project: npm start, which runs the project\'s own mcpctl (node_modules/.bin)', async () => {
    const dir = join(temp.dir, 'minimal-server');
    // Its own process group, so stopping npm stops the server it started too.
    const npm = spawn('npm', ['start', '--', '--port', '0'], { cwd: dir, env: { ...process.env, ...npmEnv }, detached: true, stdio: ['ignore', 'ignore', 'pipe'] });
    const exited = new Promise((resolve) => npm.once('exit', resolve));
    try {
      let stderr = '';
      const url = await new Promise<string>((resolve, reject) => {
        npm.stderr!.setEncoding('utf8').on('data', (chunk: string) => {
          stderr += chunk;
          const match = /serving on (http:\/\/\S+)/.exec(stderr);
          if (match) resolve(match[1]!);
        });
        npm.once('exit', (code) => reject(new Error(`npm start exited with ${code}:\n${stderr}`)));
      });
      const client = await connectHttp(url);
      const result = await client.callTool(projects.minimal.call);
      expect(result.content).toEqual([{ type: 'text', text: projects.minimal.answer }]);
      await client.close();
    } finally {
      process.kill(-npm.pid!, 'SIGTERM');
      await exited;
    }
  });
});
