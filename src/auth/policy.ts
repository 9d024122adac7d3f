import { UserError } from '../errors.js';
import { allowList } from './algorithms.js';
import { isHttpUrl } from '../http-url.js';
import type { KeySource } from './key-sources.js';
import type { AuthSettings } from './schema.js';
import type { VerifyPolicy } from './verifier.js';

export interface PolicyEnvironment {
  readonly resourceUrl: string | undefined;
}

export interface ResolvedPolicy extends VerifyPolicy {
  /** The resource identifier for RFC 9728 metadata: the first audience that is an http(s) URL, else our URL. */
  readonly resource: string | undefined;
}

/**
 * The checks a token must pass, from the config: issuer (required unless dev), audience (default this server's
 * URL; with --dev also the dev audience, so dev tokens work on any port), algorithms, tolerance and age.
 */
export function resolvePolicy(config: AuthSettings, keys: KeySource, environment: PolicyEnvironment): ResolvedPolicy {
  const { dev } = keys;
  const issuer = config.issuer ?? dev?.issuer;
  if (issuer === undefined) throw new UserError('auth needs the issuer your tokens carry: give --issuer (or "auth.issuer" in mcpctl.json)', { hint: 'e.g. --issuer https://idp.example.com/' });
  const own = environment.resourceUrl === undefined ? [] : [environment.resourceUrl];
  const audiences = config.audience ?? (dev ? [dev.audience, ...own] : own);
  if (audiences.length === 0) {
    throw new UserError('on stdio there is no server URL to use as the token audience: give --audience (or "auth.audience")', { hint: 'e.g. --audience https://mcp.example.com/mcp' });
  }
  const { maxTokenAge } = config;
  return {
    issuer,
    audiences,
    algorithms: allowList(config.algorithms, keys.supported, keys.description),
    clockToleranceMs: config.clockTolerance,
    ...(maxTokenAge === undefined ? {} : { maxTokenAgeMs: maxTokenAge }),
    resource: audiences.find(isHttpUrl) ?? environment.resourceUrl,
  };
}

