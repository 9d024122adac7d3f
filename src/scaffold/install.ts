import { runCommand } from '../shared/command.js';

export type InstallOutcome = { ok: true } | { ok: false; reason: string };

/** Runs `npm install` in the new project. npm's own failures come back as a reason to report, not an exception. */
export async function installDependencies(dir: string): Promise<InstallOutcome> {
  const result = await runCommand('npm', ['install'], { cwd: dir });
  if (!result.failed) return { ok: true };
  if (result.spawnError) return { ok: false, reason: result.spawnError.code === 'ENOENT' ? 'npm is not on the PATH' : result.spawnError.message };
  return { ok: false, reason: npmErrorLine(result.output) ?? `npm exited with ${result.code ?? result.signal}` };
}

/** npm's most telling error line: the first "npm error" line that is not a bare code/errno/syscall field. */
function npmErrorLine(output: string): string | undefined {
  return output
    .split('\n')
    .map((line) => /^npm (?:error|ERR!) (.+)$/.exec(line.trim())?.[1])
    .find((line) => line !== undefined && !/^(?:code|errno|syscall|path) /.test(line));
}
