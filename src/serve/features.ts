import type { Config } from '../config.js';
import type { Feature, FeatureEnvironment } from '../gateway/index.js';

type FeatureBuilder = (config: Config, environment: FeatureEnvironment) => Promise<Feature | undefined>;

/**
 * Every feature, one line each: a builder that returns undefined when the config leaves the feature off. A
 * feature that is off costs nothing, not even its imports (jose, ioredis, OpenTelemetry): each loads on demand.
 * The chain order is each feature's own `position`, not this list's.
 */
const builders: readonly FeatureBuilder[] = [
  async (_config, environment) => (environment.front === 'http' ? (await import('../health/index.js')).createHealth() : undefined),
  async (config, environment) => (await import('../tracing/index.js')).createTracing(config.tracing, environment),
  async (config, environment) => (config.auth ? (await import('../auth/index.js')).createAuth(config.auth, environment) : undefined),
  async (config, environment) => (config.rateLimit ? (await import('../ratelimit/index.js')).createRateLimit(config.rateLimit, environment) : undefined),
  async (config, environment) => (config.record ? (await import('../record/index.js')).createRecorder(config.record, environment) : undefined),
];

/** The features the config turns on, in chain order. */
export async function createFeatures(config: Config, environment: FeatureEnvironment): Promise<Feature[]> {
  const features: Feature[] = [];
  for (const build of builders) {
    const feature = await build(config, environment);
    if (feature !== undefined) features.push(feature);
  }
  if (!features.some((feature) => feature.authenticator !== undefined || feature.stdioCaller !== undefined)) {
    environment.logger.info('auth is off: every caller may call every tool (configure auth or use --dev)');
  }
  return features.sort((a, b) => a.position - b.position);
}
