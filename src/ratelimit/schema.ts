import { z } from 'zod';

/** The `rateLimit` section of mcpctl.json: "60/min"-style budgets. */
export const rateLimitSchema = z
  .object({
    default: z.string().optional(),
    burst: z.number().int().positive().optional(),
    tools: z.record(z.string(), z.string()).optional(),
    redis: z.string().optional(),
    onStoreError: z.enum(['open', 'closed']).optional(),
  })
  .strict();
export type RateLimitConfig = z.infer<typeof rateLimitSchema>;
