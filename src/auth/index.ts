import type { Logger } from '../log.js';
import type { Caller, GatewayFeature, HttpAuthenticator } from '../gateway/types.js';
import type { AuthConfig } from './schema.js';

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

/** Builds auth from the `auth` config (flags already merged); undefined when auth is off. */
export async function createAuth(config: AuthConfig | undefined, _environment: AuthEnvironment): Promise<AuthSetup | undefined> {
  if (config === undefined) return undefined;
  throw new Error('auth is not implemented yet');
}
