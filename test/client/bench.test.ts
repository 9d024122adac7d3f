import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { echoServer, mcpctlBin } from '../helpers/serve.js';
import { mcpctl } from './helpers.js';

const hasScript = spawnSync('script', ['--version']).status === 0;

const echo = ['--', process.execPath, echoServer];

describe('bench', () => {
  it('-n calls with -c in flight: --json gives latency percentiles, throughput and errors', async () => {
    const { code, stdout } = await mcpctl(['bench', 'echo', 'message=hi', '-n', '300', '-c', '8', '--json', ...echo]);
    expect(code).toBe(0);
    const report = JSON.parse(stdout);
    expect(report).toMatchObject({ tool: 'echo', calls: 300, concurrency: 8, errors: 0 });
    const { min, p50, p90, p99, max } = report.latencyMs;
    expect(min).toBeGreaterThan(0);
    expect([min, p50, p90, p99, max]).toEqual([min, p50, p90, p99, max].sort((a, b) => a - b));
    expect(report.throughput).toBeGreaterThan(0);
  });

  it('--duration runs for that long; people get a readable report', async () => {
    const { code, stdout } = await mcpctl(['bench', 'slow', 'steps=1', 'ms=1', '--duration', '300ms', '-c', '2', ...echo]);
    expect(code).toBe(0);
    expect(stdout).toMatch(/^bench slow: \d+ calls, 2 at a time, 0\.\d\d s\n {2}throughput {2}\d+ calls\/s\n {2}latency {5}p50 [\d.]+ ms {3}p90 [\d.]+ ms {3}p99 [\d.]+ ms/);
    expect(stdout).toMatch(/errors {6}0$/);
  });

  // script(1) gives the command a terminal, where the progress bar is drawn on stderr.
  it.skipIf(!hasScript && !process.env.CI)('draws a progress bar on a terminal', () => {
    const command = [process.execPath, mcpctlBin, 'bench', 'slow', 'steps=1', 'ms=5', '--duration', '500ms', '-c', '2', '--', process.execPath, echoServer].map((word) => `'${word}'`).join(' ');
    const { status, stdout } = spawnSync('script', ['-qfec', command, '/dev/null'], { encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
    expect(status).toBe(0);
    expect(stdout).toMatch(/\r\[#+\.*\] \d+ calls {2}\d+\/s {2}0 errors/);
    expect(stdout).toContain('bench slow:');
  });

  it('counts tool errors and exits 1 when there were any', async () => {
    const { code, stdout } = await mcpctl(['bench', 'fail', '-n', '20', '-c', '2', '--json', ...echo]);
    expect(code).toBe(1);
    expect(JSON.parse(stdout)).toMatchObject({ calls: 20, errors: 20, errorsByKind: { rateLimited: 0, overloaded: 0, auth: 0, other: 20 } });
  });

  it('refuses -n with --duration, and counts that are not whole numbers (exit 2)', async () => {
    expect((await mcpctl(['bench', 'echo', '-n', '5', '--duration', '1s', ...echo])).stderr).toContain('give -n <calls> or --duration <time>, not both');
    const { code, stderr } = await mcpctl(['bench', 'echo', '-c', '0', ...echo]);
    expect(code).toBe(2);
    expect(stderr).toContain('-c must be a whole number of at least 1');
  });
});
