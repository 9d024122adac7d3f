import type { Feature, FeatureEnvironment } from '../gateway/index.js';
import type { TracingSettings } from './schema.js';
import { resolveTracing } from './settings.js';

export type TracingEnvironment = Pick<FeatureEnvironment, 'logger' | 'env' | 'redact'>;

/**
 * Builds tracing when Langfuse env vars, an OTLP endpoint or the `tracing` config ask for it; undefined (and
 * nothing heavy imported) otherwise. It traces the requests the HTTP request stage refuses (401) as well.
 */
export async function createTracing(settings: TracingSettings | undefined, environment: TracingEnvironment): Promise<Feature | undefined> {
  const resolved = resolveTracing(settings, environment.env);
  if (!resolved) return undefined;
  const { startTracing } = await import('./pipeline.js');
  return startTracing(resolved, environment);
}
