/**
 * The house rules for imports between src/ folders, as a function over source texts so that a test can show it
 * failing on a deliberate violation. Dependencies point down and inward: commands → serve, client, scaffold →
 * features → the gateway's contract (src/gateway/index.ts); src/shared/ lies below them all.
 */
import { posix } from 'node:path';

/** Folders that are features: each may import the gateway only through its contract, and no other feature. */
export const featureFolders = ['auth', 'ratelimit', 'tracing', 'record', 'health'];
/** Folders above the features (assembly, commands, client mode, scaffolding, CLI glue). */
const upperFolders = ['serve', 'commands', 'client', 'scaffold', 'cli'];
const contract = 'src/gateway/index.ts';
/** Small helpers any folder may use (process spawning, line framing); they import no other folder. */
const sharedFolder = 'shared';

const importPattern = /(?:^|\n)\s*(?:import|export)\s[^'"]*?from\s+['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)/g;

/** The src/ files a source imports (relative specifiers only), as paths like src/gateway/index.ts. */
export function importsOf(file: string, source: string): string[] {
  const found: string[] = [];
  for (const match of source.matchAll(importPattern)) {
    const specifier = match[1] ?? match[2]!;
    if (!specifier.startsWith('.')) continue;
    found.push(posix.normalize(posix.join(posix.dirname(file), specifier)).replace(/\.js$/, '.ts'));
  }
  return found;
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
