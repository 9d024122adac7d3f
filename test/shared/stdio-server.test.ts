import { chmodSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { describeExit, describeSpawnError } from '../../src/process-exit.js';
import { spawnStdioServer, type StdioServer } from '../../src/shared/stdio-server.js';
import { tempDir } from '../helpers/cli.js';

const temp = tempDir('stdio-server');
afterAll(() => temp.remove());

/** A node process running `script`, with mcpctl's environment. */
const node = (script: string, options: { onStderrLine?: (line: string) => void } = {}): StdioServer =>
  spawnStdioServer({ command: process.execPath, args: ['-e', script], env: process.env, ...options });

/** Resolves with the first stdout line (a script's "ready" once its handlers are in place). */
function firstLine(server: StdioServer): Promise<string> {
  return new Promise((resolve) => server.readLines(1024, { onLine: resolve }));
}

describe('stdout framing', () => {
  it('gives each line once, skips one over the bound with its size and ends, and what is written reaches stdin', async () => {
    const server = node(`
      process.stdout.write('{"a":1}\\n\\n{"b":2}\\r\\n' + 'x'.repeat(100000) + 'END\\n{"c":3}\\n');
      process.stdin.on('data', (data) => process.stdout.write(data));
    `);
    const lines: string[] = [];
    const oversized: { size: number; head: string; tail: string }[] = [];
    server.readLines(1024, { onLine: (line) => lines.push(line), onOversized: (size, head, tail) => oversized.push({ size, head, tail }) });
    server.write('{"echo":1}\n');
    await expect.poll(() => lines.at(-1)).toBe('{"echo":1}');
    expect(lines).toEqual(['{"a":1}', '{"b":2}', '{"c":3}', '{"echo":1}']);
    expect(oversized).toHaveLength(1);
    expect(oversized[0]!.size).toBe(100_003);
    expect(oversized[0]!.head).toMatch(/^x{256}$/);
    expect(oversized[0]!.tail).toMatch(/^x{253}END$/);
    expect(server.running()).toBe(true);
    await server.stop({ killAfterMs: 2000 });
  });
});

describe('stderr and the exit', () => {
  it('passes each stderr line on, keeps the last five (the very last one even without a newline), and says how it ended', async () => {
    const passed: string[] = [];
    const server = node(`for (let i = 1; i <= 7; i++) console.error('line ' + i); process.stderr.write('x'.repeat(20000) + '\\nlast words'); process.exit(3)`, {
      onStderrLine: (line) => passed.push(line),
    });
    const exit = await server.exited;
    expect(exit).toEqual({ code: 3, signal: null });
    expect(describeExit(exit)).toBe('exited with code 3');
    expect(server.exitInfo()).toBe(exit);
    expect(server.running()).toBe(false);
    const cut = `${'x'.repeat(256)}…[20000 bytes, cut]`;
    expect(passed).toEqual(['line 1', 'line 2', 'line 3', 'line 4', 'line 5', 'line 6', 'line 7', cut, 'last words']);
    expect(server.stderrTail()).toEqual(['line 5', 'line 6', 'line 7', cut, 'last words']);
  });

  it('a command that cannot start: its spawn error, nothing running, and stop returns at once', async () => {
    const missing = spawnStdioServer({ command: 'mcpctl-no-such-command', args: [], env: process.env });
    const exit = await missing.exited;
    expect(exit.spawnError?.code).toBe('ENOENT');
    expect(describeSpawnError(exit.spawnError!)).toBe('command not found');
    expect(missing.running()).toBe(false);
    missing.write('{}\n'); // lost quietly, not thrown
    await missing.stop({ killAfterMs: 10_000 });

    const file = join(temp.dir, 'not-executable.sh');
    writeFileSync(file, '#!/bin/sh\n');
    chmodSync(file, 0o644);
    const notExecutable = await spawnStdioServer({ command: file, args: [], env: process.env }).exited;
    expect(notExecutable.spawnError?.code).toBe('EACCES');
    expect(describeSpawnError(notExecutable.spawnError!)).toBe('not executable');
  });
});

describe('stop', () => {
  it('ends stdin first: a server that leaves when its input ends exits on its own, with no signal', async () => {
    const server = node(`process.stdin.resume(); process.stdin.on('end', () => process.exit(0)); console.log('ready')`);
    await firstLine(server);
    await server.stop({ termAfterMs: 5000, killAfterMs: 5000 });
    expect(server.exitInfo()).toEqual({ code: 0, signal: null });
  });

  it('then SIGTERM, and SIGKILL once the grace is over', async () => {
    const polite = node(`setInterval(() => {}, 1000); console.log('ready')`);
    await firstLine(polite);
    await polite.stop({ killAfterMs: 5000 });
    expect(polite.exitInfo()).toEqual({ code: null, signal: 'SIGTERM' });

    const stubborn = node(`process.on('SIGTERM', () => {}); setInterval(() => {}, 1000); console.log('ready')`);
    await firstLine(stubborn);
    const started = performance.now();
    await stubborn.stop({ killAfterMs: 300 });
    expect(performance.now() - started).toBeGreaterThanOrEqual(290);
    expect(performance.now() - started).toBeLessThan(3000);
    expect(stubborn.exitInfo()).toEqual({ code: null, signal: 'SIGKILL' });
  });

  it('resolves after the SIGKILL grace at the latest, even while a grandchild holds the pipes open', async () => {
    const server = node(`
      const grandchild = require('node:child_process').spawn(process.execPath, ['-e', 'setTimeout(() => {}, 20000)'], { stdio: 'inherit' });
      process.on('SIGTERM', () => {});
      console.log(String(grandchild.pid));
      setInterval(() => {}, 1000);
    `);
    const grandchild = Number(await firstLine(server));
    try {
      const started = performance.now();
      await server.stop({ killAfterMs: 300 });
      expect(performance.now() - started).toBeGreaterThanOrEqual(590);
      expect(performance.now() - started).toBeLessThan(3000);
      expect(server.running()).toBe(false);
      expect(server.exitInfo()).toBeUndefined(); // its output is not closed yet: the grandchild has it
    } finally {
      process.kill(grandchild, 'SIGKILL');
    }
    expect(await server.exited).toEqual({ code: null, signal: 'SIGKILL' });
  });
});
