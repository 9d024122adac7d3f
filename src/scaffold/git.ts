import { runCommand } from '../shared/command.js';

export type GitOutcome = { ok: boolean; note: string };

/** `git init` in the new project, unless it already lies inside a repository (a monorepo) or git is missing. */
export async function initGit(dir: string): Promise<GitOutcome> {
  const inside = await runCommand('git', ['rev-parse', '--is-inside-work-tree'], { cwd: dir });
  if (inside.spawnError?.code === 'ENOENT') return { ok: true, note: 'Skipped git init: git is not installed.' };
  if (!inside.failed && inside.stdout.trim() === 'true') return { ok: true, note: 'Skipped git init: already inside a git repository.' };
  const init = await runCommand('git', ['init', '--quiet'], { cwd: dir });
  if (init.failed) return { ok: false, note: `git init failed: ${init.output.trim().split('\n')[0] || (init.spawnError?.message ?? `exit ${init.code ?? init.signal}`)}.` };
  return { ok: true, note: 'Initialized a git repository.' };
}
