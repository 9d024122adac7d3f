import { readFileSync } from 'node:fs';

interface OwnPackage {
  version: string;
  dependencies: Record<string, string>;
  devDependencies: Record<string, string>;
}

/** mcpctl's own package.json: its version, and the dependency versions generated projects pin. */
export const ownPackage = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as OwnPackage;

/** The mcpctl dependency a generated project gets unless told otherwise. */
export const defaultMcpctlRange = `^${ownPackage.version}`;
