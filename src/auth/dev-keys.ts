import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { ExitCode, UserError } from '../errors.js';
import { whyUnreadable } from '../file-errors.js';

/** The directory `mcpctl keys init` writes, in the working directory (normally the project root). */
export const devDirName = '.mcpctl';

/**
 * Issuer and audience of dev tokens. The audience is a fixed name rather than a URL so that a token minted once
 * works against `serve --dev` on any port (also --port 0); `serve --dev` accepts it besides its own URL.
 */
export const devDefaults = { issuer: 'mcpctl-dev', audience: 'mcpctl-dev' } as const;

export const devAlgorithm = 'ES256';

export interface DevSettings {
  issuer: string;
  audience: string;
  kid: string;
}

export interface DevPaths {
  dir: string;
  privateKey: string;
  jwks: string;
  settings: string;
}

export function devPaths(cwd: string): DevPaths {
  const dir = join(cwd, devDirName);
  return { dir, privateKey: join(dir, 'signing-key.pem'), jwks: join(dir, 'jwks.json'), settings: join(dir, 'dev.json') };
}

const noKeysHint = 'run "mcpctl keys init" in the project root first (it writes .mcpctl/)';

/** Reads .mcpctl/dev.json: the issuer, audience and key id dev tokens carry. */
export async function readDevSettings(cwd: string): Promise<DevSettings> {
  const paths = devPaths(cwd);
  const raw = await readDevFile(paths.settings, cwd);
  let parsed: Partial<DevSettings>;
  try {
    parsed = JSON.parse(raw) as Partial<DevSettings>;
  } catch {
    throw new UserError(`${relative(cwd, paths.settings)} is not valid JSON`, { hint: 'run "mcpctl keys init --force" to write it again' });
  }
  for (const key of ['issuer', 'audience', 'kid'] as const) {
    if (typeof parsed[key] !== 'string' || parsed[key] === '') {
      throw new UserError(`${relative(cwd, paths.settings)} has no "${key}" string`, { hint: 'run "mcpctl keys init --force" to write it again' });
    }
  }
  return parsed as DevSettings;
}

/** Reads a file of .mcpctl/, turning "not there" into the hint to run keys init. */
export async function readDevFile(path: string, cwd: string): Promise<string> {
  try {
    return await readFile(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') throw new UserError(`no dev keys: ${relative(cwd, path)} does not exist`, { hint: noKeysHint });
    throw new UserError(`cannot read ${relative(cwd, path)}: ${whyUnreadable(error)}`, { exitCode: ExitCode.failure });
  }
}

export interface InitResult {
  created: boolean;
  kid: string;
  paths: DevPaths;
}

/**
 * Writes an ES256 key pair into .mcpctl/: the private key (mode 0600), its public JWKS and dev.json. Existing
 * keys are kept (tokens signed with them keep working) unless `force` is set.
 */
export async function initDevKeys(cwd: string, options: { force?: boolean } = {}): Promise<InitResult> {
  const paths = devPaths(cwd);
  if (!options.force) {
    const existing = await readDevSettings(cwd).catch(() => undefined);
    if (existing) return { created: false, kid: existing.kid, paths };
  }
  const { calculateJwkThumbprint, exportJWK, exportPKCS8, generateKeyPair } = await import('jose');
  const { privateKey, publicKey } = await generateKeyPair(devAlgorithm, { extractable: true });
  const jwk = await exportJWK(publicKey);
  const kid = await calculateJwkThumbprint(jwk);
  await mkdir(paths.dir, { recursive: true, mode: 0o700 });
  // The whole directory stays out of git even in a project whose .gitignore does not list it.
  await writeFile(join(paths.dir, '.gitignore'), '*\n');
  // Removed first: writeFile's mode applies only to a file it creates.
  await rm(paths.privateKey, { force: true });
  await writeFile(paths.privateKey, await exportPKCS8(privateKey), { mode: 0o600, flag: 'wx' });
  await writeFile(paths.jwks, `${JSON.stringify({ keys: [{ ...jwk, kid, alg: devAlgorithm, use: 'sig' }] }, null, 2)}\n`);
  const settings: DevSettings = { ...devDefaults, kid };
  await writeFile(paths.settings, `${JSON.stringify(settings, null, 2)}\n`);
  return { created: true, kid, paths };
}
