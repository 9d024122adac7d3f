const maxLength = 214;
// npm's rules for new packages: lowercase URL-safe characters, optionally under one @scope/.
const validName = /^(?:@[a-z0-9~-][a-z0-9._~-]*\/)?[a-z0-9~-][a-z0-9._~-]*$/;

/** Why `name` cannot be an npm package name, or undefined when it can. */
export function packageNameProblem(name: string): string | undefined {
  if (name.length === 0) return 'it is empty';
  if (name.length > maxLength) return `it is longer than ${maxLength} characters`;
  if (name !== name.toLowerCase()) return 'npm names are lowercase';
  if (/^[._]/.test(name)) return 'it may not start with "." or "_"';
  if (name === 'node_modules' || name === 'favicon.ico') return 'npm reserves it';
  if (!validName.test(name)) return 'use lowercase letters, digits, "-", "." and "_" (and at most one @scope/)';
  return undefined;
}

/** A valid package name made from a directory name, e.g. "My Server" → "my-server". */
export function packageNameFrom(directoryName: string): string {
  const name = directoryName
    .trim()
    .toLowerCase()
    .replace(/[^a-z0-9._~-]+/g, '-')
    .replace(/^[._-]+|-+$/g, '');
  return name === '' ? 'my-mcp-server' : name.slice(0, maxLength);
}

/** The directory a package lives in by default: its name without the scope. */
export function directoryFor(packageName: string): string {
  return packageName.slice(packageName.indexOf('/') + 1);
}
