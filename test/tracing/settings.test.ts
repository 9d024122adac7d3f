import { describe, expect, it } from 'vitest';
import { UserError } from '../../src/errors.js';
import { settingsOf } from '../../src/setting-rows.js';
import { tracingSection, type TracingConfig } from '../../src/tracing/schema.js';
import { resolveTracing } from '../../src/tracing/settings.js';

const keys = { LANGFUSE_PUBLIC_KEY: 'pk-lf-1', LANGFUSE_SECRET_KEY: 'sk-lf-1' };
/** The `tracing` section of mcpctl.json as resolveTracing takes it, through the settings table. */
const tracing = (config: TracingConfig) => settingsOf(tracingSection.keys, config);

describe('resolveTracing', () => {
  it('is off with no keys, no endpoint and no config', () => {
    expect(resolveTracing(undefined, {})).toBeUndefined();
    expect(resolveTracing(tracing({ sample: 0.5 }), {})).toBeUndefined();
  });

  it('turns Langfuse on from the key pair, with LANGFUSE_BASE_URL or the config, and defaults', () => {
    expect(resolveTracing(undefined, { ...keys, LANGFUSE_BASE_URL: 'http://127.0.0.1:3000/' })).toEqual({
      langfuse: { publicKey: 'pk-lf-1', secretKey: 'sk-lf-1', baseUrl: 'http://127.0.0.1:3000', timeoutMs: 5000 },
      otlpUrl: undefined,
      otlpTimeoutMs: 5000,
      sample: 1,
      maxPayload: 16 * 1024,
      serviceName: 'mcpctl',
    });
    expect(resolveTracing(tracing({ baseUrl: 'http://localhost:4000', maxPayload: '1kb', sample: 0.1 }), keys)).toMatchObject({
      langfuse: { baseUrl: 'http://localhost:4000' },
      maxPayload: 1024,
      sample: 0.1,
    });
    expect(resolveTracing(undefined, keys)?.langfuse?.baseUrl).toBe('https://cloud.langfuse.com');
  });

  it('takes export timeouts from LANGFUSE_TIMEOUT (seconds) and OTEL_EXPORTER_OTLP_[TRACES_]TIMEOUT (ms), the service name from OTEL_SERVICE_NAME', () => {
    expect(resolveTracing(undefined, { ...keys, LANGFUSE_TIMEOUT: '2.5', OTEL_SERVICE_NAME: 'search-tools' })).toMatchObject({ langfuse: { timeoutMs: 2500 }, serviceName: 'search-tools' });
    expect(() => resolveTracing(undefined, { ...keys, LANGFUSE_TIMEOUT: '5s' })).toThrow('LANGFUSE_TIMEOUT must be a positive number of seconds, got "5s"');
    const otlp = { OTEL_EXPORTER_OTLP_ENDPOINT: 'http://127.0.0.1:4318' };
    expect(resolveTracing(undefined, { ...otlp, OTEL_EXPORTER_OTLP_TIMEOUT: '2000' })?.otlpTimeoutMs).toBe(2000);
    expect(resolveTracing(undefined, { ...otlp, OTEL_EXPORTER_OTLP_TIMEOUT: '2000', OTEL_EXPORTER_OTLP_TRACES_TIMEOUT: '750' })?.otlpTimeoutMs).toBe(750);
    expect(() => resolveTracing(undefined, { ...otlp, OTEL_EXPORTER_OTLP_TIMEOUT: '-1' })).toThrow('OTEL_EXPORTER_OTLP_TIMEOUT must be a positive number of milliseconds, got "-1"');
    expect(() => resolveTracing(undefined, { ...keys, LANGFUSE_TIMEOUT: '0' })).toThrow(UserError);
  });

  it('reads OTLP endpoints the way OpenTelemetry does: base URLs get /v1/traces, the _TRACES_ variable is used as is', () => {
    expect(resolveTracing(tracing({ otlpEndpoint: 'http://127.0.0.1:4318' }), {})?.otlpUrl).toBe('http://127.0.0.1:4318/v1/traces');
    expect(resolveTracing(tracing({ otlpEndpoint: 'http://127.0.0.1:4318/v1/traces' }), {})?.otlpUrl).toBe('http://127.0.0.1:4318/v1/traces');
    expect(resolveTracing(undefined, { OTEL_EXPORTER_OTLP_ENDPOINT: 'http://127.0.0.1:4318/' })?.otlpUrl).toBe('http://127.0.0.1:4318/v1/traces');
    expect(resolveTracing(undefined, { OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: 'http://127.0.0.1:4318/custom' })?.otlpUrl).toBe('http://127.0.0.1:4318/custom');
    expect(resolveTracing(tracing({ otlpEndpoint: 'http://127.0.0.1:1' }), { OTEL_EXPORTER_OTLP_ENDPOINT: 'http://127.0.0.1:2' })?.otlpUrl).toBe('http://127.0.0.1:1/v1/traces');
  });

  it('stays off when the config says enabled: false, whatever the environment', () => {
    expect(resolveTracing(tracing({ enabled: false }), { ...keys, OTEL_EXPORTER_OTLP_ENDPOINT: 'http://127.0.0.1:4318' })).toBeUndefined();
  });

  it('refuses half a key pair, nowhere to send, and a bad URL, in one line each', () => {
    expect(() => resolveTracing(undefined, { LANGFUSE_PUBLIC_KEY: 'pk' })).toThrow(UserError);
    expect(() => resolveTracing(undefined, { LANGFUSE_PUBLIC_KEY: 'pk' })).toThrow('LANGFUSE_SECRET_KEY is not set, but LANGFUSE_PUBLIC_KEY is');
    expect(() => resolveTracing(tracing({ enabled: true }), {})).toThrow('tracing is enabled but there is nowhere to send spans');
    expect(() => resolveTracing(undefined, { OTEL_EXPORTER_OTLP_ENDPOINT: 'localhost:4318' })).toThrow(/OTEL_EXPORTER_OTLP_ENDPOINT must be an http:\/\/ or https:\/\/ URL, got "localhost:4318"/);
    expect(() => resolveTracing(tracing({ maxPayload: 'lots' }), keys)).toThrow('invalid tracing.maxPayload "lots"');
  });
});
