import { z } from 'zod';

/** A duration in mcpctl.json: "10s", "5m", "250ms" (parsed by parseDuration, which wants the unit), or a number of milliseconds. */
export const durationValue = z.union([z.string(), z.number().nonnegative()]);

/** A size in mcpctl.json: "4mb", "16kb" (parsed by parseSize), or a count. */
export const sizeValue = z.union([z.string(), z.number().int().positive()]);
