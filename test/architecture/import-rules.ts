/**
 * The house rules for imports between src/ folders, as functions over source texts so that a test can show them
 * failing on a deliberate violation. Dependencies point down and inward: commands → serve, client, scaffold →
 * adapters, features → the gateway's contract (src/gateway/index.ts); src/shared/ lies below them all. And the
 * gateway runs on any runtime, bar the few files that are Node's by nature.
 */
import { builtinModules } from 'node:module';
import { posix } from 'node:path';

/** Folders that are features: each may import the gateway only through its contract, and no other feature. */
export const featureFolders = ['auth', 'ratelimit', 'tracing', 'record', 'health'];
/** Folders above the features (assembly, runtime adapters, commands, client mode, scaffolding, CLI glue). */
const upperFolders = ['serve', 'adapters', 'commands', 'client', 'scaffold', 'cli'];
const contract = 'src/gateway/index.ts';
/** Small helpers any folder may use (process spawning, line framing); they import no other folder. */
const sharedFolder = 'shared';

/** Static imports and re-exports (types too), side-effect imports, dynamic imports. */
const importPattern = /(?:^|\n)\s*(?:import|export)\s[^'"]*?from\s+['"]([^'"]+)['"]|(?:^|\n)\s*import\s+['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)/g;

/** Every module specifier a source names. */
function specifiersOf(source: string): string[] {
  return [...source.matchAll(importPattern)].map((match) => match[1] ?? match[2] ?? match[3]!);
}

/** The src/ files a source imports (relative specifiers only), as paths like src/gateway/index.ts. */
export function importsOf(file: string, source: string): string[] {
  return specifiersOf(source)
    .filter((specifier) => specifier.startsWith('.'))
    .map((specifier) => posix.normalize(posix.join(posix.dirname(file), specifier)).replace(/\.js$/, '.ts'));
}

function folderOf(path: string): string | undefined {
  const parts = path.split('/');
  return parts.length > 2 ? parts[1] : undefined;
}

/** Every import that breaks a rule, as "from → to: why". */
export function importViolations(sources: ReadonlyMap<string, string>): string[] {
  const violations: string[] = [];
  for (const [file, source] of sources) {
    const from = folderOf(file);
    for (const target of importsOf(file, source)) {
      const to = folderOf(target);
      if (from === sharedFolder && to !== sharedFolder && to !== undefined) {
        violations.push(`${file} → ${target}: src/shared/ imports no other folder`);
      }
      if (from === 'gateway' && to !== 'gateway' && to !== sharedFolder && to !== undefined) {
        violations.push(`${file} → ${target}: the gateway imports no feature, command, client or assembly`);
      }
      if (from !== undefined && featureFolders.includes(from)) {
        if (to === 'gateway' && target !== contract) violations.push(`${file} → ${target}: a feature imports the gateway only through ${contract}`);
        if (to !== undefined && to !== from && featureFolders.includes(to)) violations.push(`${file} → ${target}: a feature imports no other feature`);
        if (to !== undefined && upperFolders.includes(to)) violations.push(`${file} → ${target}: a feature imports nothing above it`);
      }
    }
  }
  return violations;
}

/**
 * The files under src/gateway/ that only Node can run, and why. Everything else in the gateway (the contract, the
 * chain, sessions, the Web HTTP core in src/gateway/web/) must run on any runtime, workerd included.
 */
export const nodeBoundFiles: ReadonlyMap<string, string> = new Map([
  ['src/gateway/back/module-back.ts', 'loads the user\'s module from a file'],
  ['src/gateway/back/child-back.ts', 'spawns the server process'],
  ['src/gateway/back/child-env.ts', 'builds that process\'s environment'],
  ['src/gateway/front/stdio-front.ts', 'speaks on stdin and stdout'],
]);

const builtins = new Set(builtinModules);
/** What only Node has, used where it runs: Buffer, process, the NodeJS types, timers' unref(). */
const nodeOnly = /\bBuffer\b|\bprocess\.[a-z]|\bNodeJS\.|\.unref\(\)/g;

function isNodeModule(specifier: string): boolean {
  return specifier.startsWith('node:') || builtins.has(specifier) || builtins.has(specifier.split('/')[0]!);
}

/** The code of a source without its comments (a line comment only where no string could hold "//"). */
function codeOf(source: string): string {
  return source.replace(/\/\*[\s\S]*?\*\//g, '').replace(/(^|[\s;{}(),])\/\/.*$/gm, '$1');
}

/**
 * Everything that ties a runtime-neutral gateway file to Node: a node: module (or a bare built-in) it imports, even
 * for types; a Node-only global it uses; a Node-bound gateway file, or a file outside the gateway importing a
 * node: module, that it reaches through its imports.
 */
export function runtimeViolations(sources: ReadonlyMap<string, string>): string[] {
  const violations: string[] = [];
  for (const [file, source] of sources) {
    if (!file.startsWith('src/gateway/') || nodeBoundFiles.has(file)) continue;
    for (const specifier of specifiersOf(source)) {
      if (isNodeModule(specifier)) violations.push(`${file} → ${specifier}: the gateway imports no node: module outside its Node-bound files`);
    }
    for (const [used] of codeOf(source).matchAll(nodeOnly)) violations.push(`${file} uses ${used}: Node only (timers: use unref() from src/gateway/timers.ts)`);
    const seen = new Set([file]);
    const queue = importsOf(file, source);
    while (queue.length > 0) {
      const target = queue.shift()!;
      if (seen.has(target)) continue;
      seen.add(target);
      if (nodeBoundFiles.has(target)) {
        violations.push(`${file} → ${target}: reaches a Node-bound file (${nodeBoundFiles.get(target)})`);
        continue;
      }
      const text = sources.get(target);
      if (text === undefined || target.startsWith('src/gateway/')) continue;
      const node = specifiersOf(text).filter(isNodeModule);
      if (node.length > 0) violations.push(`${file} → ${target} → ${node.join(', ')}: reaches a node: module`);
      queue.push(...importsOf(target, text));
    }
  }
  return violations;
}
