import { UserError } from '../errors.js';
import { section, setting, size, type ConfigOf, type SettingsOf } from '../setting-rows.js';

/** The `tracing` section of mcpctl.json (Langfuse keys come from the environment, never from this file). */
export const tracingSection = section({
  /** false: off even when LANGFUSE_* or OTEL_EXPORTER_OTLP_ENDPOINT are set; true: a backend is required. */
  enabled: setting({ json: (zod) => zod.boolean() }),
  /** Langfuse base URL; LANGFUSE_BASE_URL when absent, else https://cloud.langfuse.com (checked with it, in settings.ts). */
  baseUrl: setting({ json: (zod) => zod.string().url() }),
  /** Also send spans to this OTLP/HTTP endpoint (base URL: /v1/traces is appended), like OTEL_EXPORTER_OTLP_ENDPOINT. */
  otlpEndpoint: setting({ flag: '--otlp-endpoint <url>', help: 'also send spans to this OTLP/HTTP endpoint', json: (zod) => zod.string().url() }),
  /** Fraction of calls traced (errors and refusals always are). */
  sample: setting({ flag: '--trace-sample <ratio>', help: 'fraction of calls to trace, 0..1 (default {default})', default: 1, json: (zod) => zod.number().min(0).max(1), fromFlag: ratio }),
  /** Where the top-level `redact` list used to live: still read, as part of that list (src/redaction.ts). */
  redact: setting({ json: (zod) => zod.array(zod.string().min(1)) }),
  /** Longest argument or result kept on a span, e.g. "16kb" (characters); longer ones are cut. */
  maxPayload: setting({ default: '16kb', ...size('tracing.maxPayload') }),
});
/** The `tracing` section as mcpctl.json holds it. */
export type TracingConfig = ConfigOf<typeof tracingSection.keys>;
/** The `tracing` section as resolveTracing takes it: the sample a number, maxPayload in characters. */
export type TracingSettings = SettingsOf<typeof tracingSection.keys>;

function ratio(text: string, flag: string): number {
  const value = Number(text);
  if (!Number.isFinite(value) || value < 0 || value > 1) throw new UserError(`${flag} must be a number from 0 to 1, got "${text}"`);
  return value;
}
