import { describe, expect, it } from 'vitest';
import { runCommand } from '../../src/shared/command.js';

describe('runCommand', () => {
  it('gives stdout, stdout and stderr in the order they came, and the exit code; a failure is a result, not a throw', async () => {
    const script = `console.log('one'); setTimeout(() => { console.error('two'); setTimeout(() => { console.log('three'); process.exit(2); }, 100); }, 100)`;
    const result = await runCommand(process.execPath, ['-e', script], {});
    expect(result).toMatchObject({ code: 2, signal: null, failed: true, stdout: 'one\nthree\n', output: 'one\ntwo\nthree\n' });
    expect(result.spawnError).toBeUndefined();
  });

  it('runs in cwd with no input, and succeeds on exit 0', async () => {
    const result = await runCommand(process.execPath, ['-e', 'process.stdin.on("end", () => console.log(process.cwd())).resume()'], { cwd: '/' });
    expect(result).toMatchObject({ code: 0, failed: false, stdout: '/\n' });
  });

  it('a command that is not there: ENOENT in the result', async () => {
    const result = await runCommand('mcpctl-no-such-command', [], {});
    expect(result).toMatchObject({ code: null, signal: null, failed: true, stdout: '', output: '' });
    expect(result.spawnError?.code).toBe('ENOENT');
  });
});
