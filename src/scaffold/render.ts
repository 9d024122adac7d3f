import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { ownPackage } from '../own-package.js';
import type { Template } from './templates.js';

export interface ProjectOptions {
  /** The package name, also the server's name and its key in client configs. */
  name: string;
  /** The transport `npm start` serves (mcpctl.json "transport"). */
  transport: 'stdio' | 'http';
  /** Whether mcpctl.json turns on auth (the template's auth section, or the dev key pair). */
  auth: boolean;
  /** The project's mcpctl dependency, e.g. "^0.1.0" or "file:../mcpctl". */
  mcpctl: string;
}

/** The package name the templates are written with; every occurrence becomes the chosen name. */
const placeholderName = 'my-mcp-server';
/** npm leaves .gitignore out of mcpctl's own tarball, so the templates keep it under another name. */
const renames: Record<string, string> = { _gitignore: '.gitignore' };

/**
 * Copies a template into the existing directory `dir`, create-vite style: the files as they are, with a few
 * substitutions (name, dependency versions, mcpctl.json choices). Returns the paths written, relative to `dir`.
 */
export async function renderTemplate(template: Template, dir: string, options: ProjectOptions): Promise<string[]> {
  const versions = { ...ownPackage.devDependencies, ...ownPackage.dependencies };
  const written: string[] = [];
  for (const source of await listFiles(template.dir)) {
    const target = join(dirname(source), renames[basename(source)] ?? basename(source));
    const text = fill(target, await readFile(join(template.dir, source), 'utf8'), options, versions);
    await mkdir(dirname(join(dir, target)), { recursive: true });
    await writeFile(join(dir, target), text);
    written.push(target);
  }
  return written.sort();
}

async function listFiles(root: string, sub = ''): Promise<string[]> {
  const entries = await readdir(join(root, sub), { withFileTypes: true });
  const nested = await Promise.all(entries.map((entry) => (entry.isDirectory() ? listFiles(root, join(sub, entry.name)) : [join(sub, entry.name)])));
  return nested.flat();
}

function fill(file: string, text: string, options: ProjectOptions, versions: Record<string, string>): string {
  const named = text.replaceAll(placeholderName, options.name);
  if (file === 'package.json') return toJson(projectPackage(JSON.parse(named) as PackageJson, options.mcpctl, versions));
  if (file === 'mcpctl.json') return toJson(serveConfig(JSON.parse(named) as Record<string, unknown>, options));
  return named;
}

interface PackageJson {
  description?: string;
  dependencies?: Record<string, string>;
  devDependencies?: Record<string, string>;
}

/**
 * The project depends on this mcpctl and on the exact SDK, zod, TypeScript and vitest versions mcpctl itself is
 * built and tested with. The template's description describes the template, not the project: it goes.
 */
function projectPackage(pkg: PackageJson, mcpctl: string, versions: Record<string, string>): PackageJson {
  const { description: _templateDescription, ...project } = pkg;
  for (const dependencies of [project.dependencies, project.devDependencies]) {
    if (dependencies === undefined) continue;
    for (const [name, range] of Object.entries(dependencies)) dependencies[name] = name === 'mcpctl' ? mcpctl : (versions[name] ?? range);
  }
  return project;
}

function serveConfig(config: Record<string, unknown>, options: ProjectOptions): Record<string, unknown> {
  const result: Record<string, unknown> = { ...config, transport: options.transport };
  if (!options.auth) delete result.auth;
  else result.auth ??= { dev: true };
  return result;
}

const toJson = (value: unknown): string => `${JSON.stringify(value, null, 2)}\n`;
