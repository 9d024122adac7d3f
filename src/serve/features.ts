import type { Feature, FeatureEnvironment } from '../gateway/index.js';
import type { ServeSettings } from './settings.js';

type FeatureBuilder = (settings: ServeSettings, environment: FeatureEnvironment) => Promise<Feature | undefined>;

/**
 * Every feature, one line each: a builder that returns undefined when the settings leave the feature off. A
 * feature that is off costs nothing, not even its imports (jose, ioredis, OpenTelemetry): each loads on demand.
 * The chain order is each feature's own `position`, not this list's.
 */
const builders: readonly FeatureBuilder[] = [
  async (_settings, environment) => (environment.front === 'http' ? (await import('../health/index.js')).createHealth() : undefined),
  async (settings, environment) => (await import('../tracing/index.js')).createTracing(settings.tracing, environment),
  async (settings, environment) => (settings.auth ? (await import('../auth/index.js')).createAuth(settings.auth, environment) : undefined),
  async (settings, environment) => (settings.rateLimit ? (await import('../ratelimit/index.js')).createRateLimit(settings.rateLimit, environment) : undefined),
  async (settings, environment) => (settings.record ? (await import('../record/index.js')).createRecorder(settings.record, environment) : undefined),
];

/** The features the settings turn on, in chain order. */
export async function createFeatures(settings: ServeSettings, environment: FeatureEnvironment): Promise<Feature[]> {
  const features: Feature[] = [];
  for (const build of builders) {
    const feature = await build(settings, environment);
    if (feature !== undefined) features.push(feature);
  }
  if (!features.some((feature) => feature.authenticator !== undefined || feature.stdioCaller !== undefined)) {
    environment.logger.info('auth is off: every caller may call every tool (configure auth or use --dev)');
  }
  return features.sort((a, b) => a.position - b.position);
}
