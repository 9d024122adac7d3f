import { z } from 'zod';

/** The `auth` section of mcpctl.json. Flags of `mcpctl serve` override these keys one by one. */
export const authSchema = z
  .object({
    /** Trust the dev key pair written by `mcpctl keys init` (.mcpctl/), with its issuer/audience defaults. */
    dev: z.boolean().optional(),
    issuer: z.string().min(1).optional(),
    audience: z.string().min(1).optional(),
    jwksUrl: z.string().url().optional(),
    jwksFile: z.string().optional(),
    publicKey: z.string().optional(),
    secretEnv: z.string().optional(),
    algorithms: z.array(z.string()).optional(),
    clockTolerance: z.union([z.string(), z.number()]).optional(),
    maxTokenAge: z.union([z.string(), z.number()]).optional(),
    authorizationServers: z.array(z.string().url()).optional(),
    /** tool name → scopes, any one of which allows calling it (besides tools:call and tools:<name>). */
    tools: z.record(z.string(), z.array(z.string())).optional(),
    resources: z.record(z.string(), z.array(z.string())).optional(),
    prompts: z.record(z.string(), z.array(z.string())).optional(),
  })
  .strict();
export type AuthConfig = z.infer<typeof authSchema>;
