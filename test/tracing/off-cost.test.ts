import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { modulesLoadedBy } from '../helpers/imports.js';

const loader = fileURLToPath(new URL('./fixtures/load-tracing.mjs', import.meta.url));

/** Runs createTracing in a fresh process; answers its description ("off" when off) and every module it loaded. */
async function loadTracing(env: Record<string, string>): Promise<{ outcome: string; modules: string[] }> {
  const { stdout, modules } = await modulesLoadedBy(loader, [], { TRACING_ENV: JSON.stringify(env) });
  return { outcome: stdout, modules };
}

const heavy = /node_modules\/@(opentelemetry|langfuse)\//;

describe('tracing off costs nothing', () => {
  it('loads no OpenTelemetry or Langfuse module when tracing is off', async () => {
    const { outcome, modules } = await loadTracing({});
    expect(outcome).toBe('off');
    expect(modules.some((url) => url.endsWith('/dist/tracing/settings.js'))).toBe(true);
    expect(modules.filter((url) => heavy.test(url) || url.endsWith('/dist/tracing/pipeline.js'))).toEqual([]);
  });

  it('loads them when it is on (the check above can see them)', async () => {
    const { outcome, modules } = await loadTracing({ LANGFUSE_PUBLIC_KEY: 'pk', LANGFUSE_SECRET_KEY: 'sk', LANGFUSE_BASE_URL: 'http://127.0.0.1:9' });
    expect(outcome).toBe('tracing: Langfuse http://127.0.0.1:9');
    expect(modules.some((url) => heavy.test(url))).toBe(true);
  });
});
