import type { GatewayFeature, HttpAuthenticator } from '../gateway/types.js';
import type { Logger } from '../log.js';
import type { TracingConfig } from './schema.js';
import { resolveTracing } from './settings.js';

export interface TracingEnvironment {
  readonly logger: Logger;
  readonly env: NodeJS.ProcessEnv;
  /** Key fragments whose values are masked on spans (src/redaction.ts): the same list the recorder uses. */
  readonly redact: readonly string[];
}

export interface TracingFeature extends GatewayFeature {
  /** One line for the start-up banner, e.g. "tracing: Langfuse https://cloud.langfuse.com, sample 0.1". */
  readonly description: string;
  /** Wraps the HTTP authenticator so that the 401s it answers before the chain runs are traced too. */
  observeHttpAuth(authenticator: HttpAuthenticator): HttpAuthenticator;
}

/**
 * Builds tracing when Langfuse env vars, an OTLP endpoint or the `tracing` config ask for it; undefined (and
 * nothing heavy imported) otherwise.
 */
export async function createTracing(config: TracingConfig | undefined, environment: TracingEnvironment): Promise<TracingFeature | undefined> {
  const settings = resolveTracing(config, environment.env);
  if (!settings) return undefined;
  const { startTracing } = await import('./pipeline.js');
  return startTracing(settings, environment);
}
