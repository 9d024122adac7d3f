import { z } from 'zod';

/** The `tracing` section of mcpctl.json (Langfuse keys come from the environment, never from this file). */
export const tracingSchema = z
  .object({
    enabled: z.boolean().optional(),
    baseUrl: z.string().url().optional(),
    otlpEndpoint: z.string().url().optional(),
    sample: z.number().min(0).max(1).optional(),
    redact: z.array(z.string()).optional(),
    maxPayload: z.union([z.string(), z.number()]).optional(),
  })
  .strict();
export type TracingConfig = z.infer<typeof tracingSchema>;
