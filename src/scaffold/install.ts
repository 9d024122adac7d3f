import { execa } from 'execa';

export type InstallOutcome = { ok: true } | { ok: false; reason: string };

/** Runs `npm install` in the new project. npm's own failures come back as a reason to report, not an exception. */
export async function installDependencies(dir: string): Promise<InstallOutcome> {
  const result = await execa('npm', ['install'], { cwd: dir, stdin: 'ignore', all: true, reject: false });
  if (!result.failed) return { ok: true };
  if (result.code === 'ENOENT') return { ok: false, reason: 'npm is not on the PATH' };
  return { ok: false, reason: npmErrorLine(result.all ?? '') ?? `npm exited with ${result.exitCode ?? result.signal}` };
}

/** npm's most telling error line: the first "npm error" line that is not a bare code/errno/syscall field. */
function npmErrorLine(output: string): string | undefined {
  return output
    .split('\n')
    .map((line) => /^npm (?:error|ERR!) (.+)$/.exec(line.trim())?.[1])
    .find((line) => line !== undefined && !/^(?:code|errno|syscall|path) /.test(line));
}
