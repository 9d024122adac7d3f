import { z } from 'zod';
import { isRate, rateHint } from './rate.js';

const rate = z.string().refine(isRate, { message: rateHint });

/** The `rateLimit` section of mcpctl.json: "60/min"-style budgets per caller and per caller+tool, and their store. */
export const rateLimitSchema = z
  .object({
    /** Budget per caller across all counted calls (tools/call, resources/read, prompts/get). */
    default: rate.optional(),
    /** Size of the per-caller bucket, when it should differ from the rate's count. */
    burst: z.number().int().positive().optional(),
    /** Budget per caller for one tool (or prompt name, or resource URI), on top of the per-caller one. */
    tools: z.record(z.string().min(1), rate).optional(),
    /** Share buckets between instances through this Redis. */
    redis: z.string().regex(/^rediss?:\/\//, 'use a redis:// or rediss:// URL, e.g. redis://127.0.0.1:6379/0').optional(),
    /** When Redis is unreachable: open = per-instance limits, closed = refuse counted calls. */
    onStoreError: z.enum(['open', 'closed']).optional(),
  })
  .strict();
export type RateLimitConfig = z.infer<typeof rateLimitSchema>;
