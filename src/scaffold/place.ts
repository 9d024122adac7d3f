import { randomUUID } from 'node:crypto';
import { lstatSync, readdirSync } from 'node:fs';
import { mkdir, readdir, rename, rm } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { ExitCode, UserError } from '../errors.js';

export type TargetState = 'missing' | 'empty' | 'occupied';

/** What is at the target path now. `shown` is the path as the user wrote it, for messages. */
export function inspectTarget(target: string, shown: string): TargetState {
  let entries: string[];
  try {
    entries = readdirSync(target);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return 'missing';
    // ENOTDIR with nothing at the path means a parent is a file: writing reports that.
    if (code === 'ENOTDIR' && !exists(target)) return 'missing';
    if (code === 'ENOTDIR') throw new UserError(`${shown} is a file, not a directory: choose a directory for the project`);
    throw writeError(error, shown);
  }
  // A directory holding only .git (a fresh clone of an empty repository) counts as empty, as in create-vite.
  return entries.every((entry) => entry === '.git') ? 'empty' : 'occupied';
}

/**
 * Builds the project in a hidden staging directory and moves it into place at the end, so a failure at any step
 * leaves nothing behind. A new directory is staged beside the target and renamed; an existing one (empty, or with
 * --force) is staged inside itself, so only the target needs to be writable, and the project's top-level entries
 * move in one by one after checking that none of their names is taken. Nothing that was there is ever touched.
 */
export async function writeProject<T>(target: string, shown: string, build: (dir: string) => Promise<T>): Promise<T> {
  const existed = inspectTarget(target, shown) !== 'missing';
  const createdParent = existed ? undefined : await attempt(() => mkdir(dirname(target), { recursive: true }), shown);
  // mkdir, not mkdtemp: the project directory keeps the usual permissions (mkdtemp's are 0700).
  const staging = join(existed ? target : dirname(target), `.${basename(target)}.mcpctl-${randomUUID().slice(0, 8)}`);
  let staged = false;
  try {
    await attempt(() => mkdir(staging), shown);
    staged = true;
    const built = await attempt(() => build(staging), shown);
    if (existed) await moveEntries(staging, target, shown);
    else await attempt(() => rename(staging, target), shown);
    return built;
  } catch (error) {
    if (staged) await rm(staging, { recursive: true, force: true });
    if (createdParent !== undefined) await rm(createdParent, { recursive: true, force: true });
    throw error;
  }
}

async function moveEntries(from: string, to: string, shown: string): Promise<void> {
  const [entries, existing] = await Promise.all([readdir(from), readdir(to)]);
  const taken = entries.filter((entry) => existing.includes(entry));
  if (taken.length > 0) {
    throw new UserError(`${shown} already has ${taken.join(', ')}: move ${taken.length === 1 ? 'it' : 'them'} away, or choose another directory`);
  }
  const moved: string[] = [];
  try {
    for (const entry of entries) {
      await rename(join(from, entry), join(to, entry));
      moved.push(entry);
    }
  } catch (error) {
    // Only what this run moved in goes: the user's own files are never touched.
    await Promise.all(moved.map((entry) => rm(join(to, entry), { recursive: true, force: true })));
    throw writeError(error, shown);
  }
  await rm(from, { recursive: true, force: true });
}

async function attempt<T>(step: () => Promise<T>, shown: string): Promise<T> {
  try {
    return await step();
  } catch (error) {
    throw writeError(error, shown);
  }
}

const reasons: Record<string, string> = {
  ENOENT: 'a directory on the way does not exist (or cannot hold new entries)',
  EACCES: 'permission denied',
  EPERM: 'permission denied',
  EROFS: 'read-only file system',
  ENOTDIR: 'part of the path is a file',
  EEXIST: 'part of the path is a file',
  ENOTEMPTY: 'something else wrote there meanwhile',
  ENOSPC: 'no space left on the device',
  EDQUOT: 'disk quota exceeded',
};

/** File-system failures become one line naming the path; anything else (a bug) passes through. */
function writeError(error: unknown, shown: string): unknown {
  if (error instanceof UserError) return error;
  const reason = reasons[(error as NodeJS.ErrnoException).code ?? ''];
  if (reason === undefined) return error;
  return new UserError(`cannot write ${shown}: ${reason}`, { exitCode: ExitCode.failure, cause: error, hint: 'choose a directory you can write to' });
}

function exists(path: string): boolean {
  try {
    lstatSync(path);
    return true;
  } catch {
    return false;
  }
}
