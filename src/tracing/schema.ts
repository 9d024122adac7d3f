import { z } from 'zod';
import { sizeValue } from '../config-values.js';

/** The `tracing` section of mcpctl.json (Langfuse keys come from the environment, never from this file). */
export const tracingSchema = z
  .object({
    /** false: off even when LANGFUSE_* or OTEL_EXPORTER_OTLP_ENDPOINT are set; true: a backend is required. */
    enabled: z.boolean().optional(),
    /** Langfuse base URL; LANGFUSE_BASE_URL when absent, else https://cloud.langfuse.com. */
    baseUrl: z.string().url().optional(),
    /** Also send spans to this OTLP/HTTP endpoint (base URL: /v1/traces is appended), like OTEL_EXPORTER_OTLP_ENDPOINT. */
    otlpEndpoint: z.string().url().optional(),
    /** Fraction of calls traced (errors and refusals always are). Default 1. */
    sample: z.number().min(0).max(1).optional(),
    /** Where the top-level `redact` list used to live: still read, as part of that list (src/redaction.ts). */
    redact: z.array(z.string().min(1)).optional(),
    /** Longest argument or result kept on a span, e.g. "16kb" (characters); longer ones are cut. Default 16kb. */
    maxPayload: sizeValue.optional(),
  })
  .strict();
export type TracingConfig = z.infer<typeof tracingSchema>;
