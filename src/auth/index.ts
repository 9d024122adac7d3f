import { ChainPosition, type Feature, type FeatureEnvironment, type Route } from '../gateway/index.js';
import { createHttpAuthenticator } from './http-auth.js';
import { loadKeySource } from './key-sources.js';
import { isHttpUrl } from '../http-url.js';
import { resolvePolicy } from './policy.js';
import { metadataDocuments, metadataUrlOf } from './metadata.js';
import { auth } from './middleware.js';
import type { AuthSettings } from './schema.js';
import { stdioCallerFrom } from './stdio-caller.js';
import { TokenVerifier } from './verifier.js';

export type AuthEnvironment = Pick<FeatureEnvironment, 'front' | 'resourceUrl' | 'logger' | 'cwd' | 'env'>;

const catchAllScopes = ['tools:call', 'resources:read', 'prompts:get'];

/**
 * Builds auth from the `auth` settings (flags already merged); undefined when auth is off. On HTTP it verifies every
 * request's bearer token before any message is read and serves the RFC 9728 metadata; on stdio the caller is
 * MCPCTL_TOKEN's, verified once at start. Its middleware applies the scopes.
 */
export async function createAuth(config: AuthSettings | undefined, environment: AuthEnvironment): Promise<Feature | undefined> {
  if (config === undefined) return undefined;
  const { logger } = environment;
  const keys = await loadKeySource(config, environment);
  const policy = resolvePolicy(config, keys, environment);
  if (config.dev) logger.warn('--dev: trusting the local dev key in .mcpctl/ (for development only)');
  const verifier = new TokenVerifier(keys.getKey, policy);
  await keys.warm?.();

  const resourceMetadataUrl = policy.resource === undefined ? undefined : metadataUrlOf(policy.resource);
  const middleware = auth({ logger, tools: config.tools, resources: config.resources, prompts: config.prompts, resourceMetadataUrl, clockToleranceMs: policy.clockToleranceMs });
  const description = `auth: ${keys.description}, issuer ${policy.issuer}, audience ${policy.audiences.join(' or ')}`;
  const position = ChainPosition.auth;
  if (environment.front === 'stdio') return { description, position, middleware, stdioCaller: await stdioCallerFrom(environment.env, verifier) };

  const documents = metadataDocuments({
    resource: policy.resource!,
    localResourceUrl: environment.resourceUrl!,
    authorizationServers: config.authorizationServers ?? (isHttpUrl(policy.issuer) ? [policy.issuer] : []),
    scopesSupported: [...new Set([...catchAllScopes, ...[config.tools, config.resources, config.prompts].flatMap((map) => Object.values(map ?? {}).flat())])],
  });
  const authenticator = createHttpAuthenticator({ verifier, resourceMetadataUrl: resourceMetadataUrl!, logger });
  const routes = new Map<string, Route>([...documents].map(([path, body]) => [path, () => ({ status: 200, body })]));
  return { description, position, middleware, authenticator, routes };
}
