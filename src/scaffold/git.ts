import { execa } from 'execa';

export type GitOutcome = { ok: boolean; note: string };

/** `git init` in the new project, unless it already lies inside a repository (a monorepo) or git is missing. */
export async function initGit(dir: string): Promise<GitOutcome> {
  const inside = await execa('git', ['rev-parse', '--is-inside-work-tree'], { cwd: dir, stdin: 'ignore', reject: false });
  if (inside.code === 'ENOENT') return { ok: true, note: 'Skipped git init: git is not installed.' };
  if (!inside.failed && inside.stdout.trim() === 'true') return { ok: true, note: 'Skipped git init: already inside a git repository.' };
  const init = await execa('git', ['init', '--quiet'], { cwd: dir, stdin: 'ignore', reject: false, all: true });
  if (init.failed) return { ok: false, note: `git init failed: ${(init.all ?? '').trim().split('\n')[0] || `exit ${init.exitCode}`}.` };
  return { ok: true, note: 'Initialized a git repository.' };
}
