import { auth } from '../gateway/middleware/auth.js';
import type { Caller, GatewayFeature, HttpAuthenticator } from '../gateway/types.js';
import type { Logger } from '../log.js';
import { createHttpAuthenticator } from './http-auth.js';
import { loadKeySource } from './key-sources.js';
import { isHttpUrl } from '../http-url.js';
import { resolvePolicy } from './policy.js';
import { metadataDocuments, metadataUrlOf } from './metadata.js';
import type { AuthConfig } from './schema.js';
import { stdioCallerFrom } from './stdio-caller.js';
import { TokenVerifier } from './verifier.js';

export interface AuthEnvironment {
  readonly front: 'stdio' | 'http';
  /** The server's own resource URL (HTTP), e.g. http://127.0.0.1:8080/mcp: the default audience. */
  readonly resourceUrl: string | undefined;
  readonly logger: Logger;
  readonly cwd: string;
  readonly env: NodeJS.ProcessEnv;
}

export interface AuthSetup extends GatewayFeature {
  /** For the HTTP front: verifies each request's bearer token. */
  readonly http?: HttpAuthenticator;
  /** For the stdio front: the caller from MCPCTL_TOKEN, verified once at start. */
  readonly stdioCaller?: Caller;
  /** One line for the start-up banner, e.g. "auth: JWKS https://…, issuer …". */
  readonly description: string;
}

const catchAllScopes = ['tools:call', 'resources:read', 'prompts:get'];

/** Builds auth from the `auth` config (flags already merged); undefined when auth is off. */
export async function createAuth(config: AuthConfig | undefined, environment: AuthEnvironment): Promise<AuthSetup | undefined> {
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
  if (environment.front === 'stdio') return { middleware, stdioCaller: await stdioCallerFrom(environment.env, verifier), description };

  const documents = metadataDocuments({
    resource: policy.resource!,
    localResourceUrl: environment.resourceUrl!,
    authorizationServers: config.authorizationServers ?? (isHttpUrl(policy.issuer) ? [policy.issuer] : []),
    scopesSupported: [...new Set([...catchAllScopes, ...[config.tools, config.resources, config.prompts].flatMap((map) => Object.values(map ?? {}).flat())])],
  });
  const http = createHttpAuthenticator({ verifier, resourceMetadataUrl: resourceMetadataUrl!, documents, logger });
  return { middleware, http, description };
}
