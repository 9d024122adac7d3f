import { UserError } from '../errors.js';
import { parseHttpUrl } from '../http-url.js';
import { settingsOf } from '../setting-rows.js';
import { tracingSection, type TracingSettings } from './schema.js';

export interface LangfuseTarget {
  readonly publicKey: string;
  readonly secretKey: string;
  /** The Langfuse instance, e.g. https://cloud.langfuse.com (no trailing slash). */
  readonly baseUrl: string;
  /** How long one export to it may take, retries included (LANGFUSE_TIMEOUT, in seconds as the Langfuse SDK reads it). */
  readonly timeoutMs: number;
}

/** Everything tracing needs, resolved from mcpctl.json (flags merged) and the environment. */
export interface ResolvedTracing {
  readonly langfuse: LangfuseTarget | undefined;
  /** Full OTLP/HTTP traces URL. */
  readonly otlpUrl: string | undefined;
  /** How long one export to it may take (OTEL_EXPORTER_OTLP_TRACES_TIMEOUT or OTEL_EXPORTER_OTLP_TIMEOUT, in ms). */
  readonly otlpTimeoutMs: number;
  readonly sample: number;
  readonly maxPayload: number;
  /** The `service.name` spans carry: OTEL_SERVICE_NAME, else "mcpctl". */
  readonly serviceName: string;
}

const langfuseCloud = 'https://cloud.langfuse.com';

/** How long one export may take, retries included: the default of both the Langfuse SDK and OpenTelemetry. */
const defaultExportTimeoutMs = 5_000;

/**
 * Decides whether tracing is on and where spans go; undefined when it is off. Cheap and light on imports on
 * purpose: it runs on every `serve` start, before anything heavy is loaded. Without a `tracing` section the defaults apply:
 * the environment alone may turn tracing on.
 */
export function resolveTracing(settings: TracingSettings = settingsOf(tracingSection.keys, {}), env: NodeJS.ProcessEnv): ResolvedTracing | undefined {
  if (settings.enabled === false) return undefined;
  const langfuse = langfuseTarget(settings, env);
  const otlpUrl = otlpTracesUrl(settings, env);
  if (!langfuse && !otlpUrl) {
    if (settings.enabled === true) {
      throw new UserError('tracing is enabled but there is nowhere to send spans', {
        hint: 'set LANGFUSE_PUBLIC_KEY and LANGFUSE_SECRET_KEY (and LANGFUSE_BASE_URL), or give --otlp-endpoint <url>',
      });
    }
    return undefined;
  }
  return {
    langfuse,
    otlpUrl,
    otlpTimeoutMs: otlpUrl ? exportTimeoutMs(env, env.OTEL_EXPORTER_OTLP_TRACES_TIMEOUT ? 'OTEL_EXPORTER_OTLP_TRACES_TIMEOUT' : 'OTEL_EXPORTER_OTLP_TIMEOUT', 'milliseconds') : defaultExportTimeoutMs,
    sample: settings.sample,
    maxPayload: settings.maxPayload,
    serviceName: env.OTEL_SERVICE_NAME?.trim() || 'mcpctl',
  };
}

function langfuseTarget(settings: TracingSettings, env: NodeJS.ProcessEnv): LangfuseTarget | undefined {
  const publicKey = env.LANGFUSE_PUBLIC_KEY;
  const secretKey = env.LANGFUSE_SECRET_KEY;
  if (!publicKey && !secretKey) return undefined;
  if (!publicKey || !secretKey) {
    throw new UserError(`LANGFUSE_${publicKey ? 'SECRET' : 'PUBLIC'}_KEY is not set, but LANGFUSE_${publicKey ? 'PUBLIC' : 'SECRET'}_KEY is`, {
      hint: 'Langfuse needs both keys of a project (Settings → API keys); unset both to turn Langfuse tracing off',
    });
  }
  const baseUrl = checkedHttpUrl(settings.baseUrl ?? env.LANGFUSE_BASE_URL ?? langfuseCloud, 'the Langfuse base URL');
  return { publicKey, secretKey, baseUrl: baseUrl.replace(/\/+$/, ''), timeoutMs: exportTimeoutMs(env, 'LANGFUSE_TIMEOUT', 'seconds') };
}

/** An export timeout from the environment, in the unit its variable is documented in; the default when unset. */
function exportTimeoutMs(env: NodeJS.ProcessEnv, name: string, unit: 'seconds' | 'milliseconds'): number {
  const text = env[name];
  if (text === undefined || text.trim() === '') return defaultExportTimeoutMs;
  const value = Number(text);
  if (!Number.isFinite(value) || value <= 0) {
    const example = unit === 'seconds' ? '10' : '10000';
    throw new UserError(`${name} must be a positive number of ${unit}, got "${text}"`, { hint: `e.g. ${name}=${example}, or unset it for the default of 5 s` });
  }
  return Math.round(unit === 'seconds' ? value * 1000 : value);
}

/** --otlp-endpoint and OTEL_EXPORTER_OTLP_ENDPOINT are base URLs (the spec appends /v1/traces); the _TRACES_ variable is the full URL. */
function otlpTracesUrl(settings: TracingSettings, env: NodeJS.ProcessEnv): string | undefined {
  if (settings.otlpEndpoint) return withTracesPath(checkedHttpUrl(settings.otlpEndpoint, '--otlp-endpoint'));
  if (env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT) return checkedHttpUrl(env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT, 'OTEL_EXPORTER_OTLP_TRACES_ENDPOINT');
  if (env.OTEL_EXPORTER_OTLP_ENDPOINT) return withTracesPath(checkedHttpUrl(env.OTEL_EXPORTER_OTLP_ENDPOINT, 'OTEL_EXPORTER_OTLP_ENDPOINT'));
  return undefined;
}

function withTracesPath(base: string): string {
  return /\/v1\/traces\/?$/.test(base) ? base : `${base.replace(/\/+$/, '')}/v1/traces`;
}

function checkedHttpUrl(text: string, what: string): string {
  parseHttpUrl(text, what, 'http://127.0.0.1:4318');
  return text;
}
