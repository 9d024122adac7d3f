import { z } from 'zod';
import { durationValue } from '../config-values.js';

const scopeLists = z.record(z.string(), z.array(z.string().min(1)));

/** The `auth` section of mcpctl.json. Flags of `mcpctl serve` override these keys one by one. */
export const authSchema = z
  .object({
    /** Trust the dev key pair written by `mcpctl keys init` (.mcpctl/), with its issuer/audience defaults. */
    dev: z.boolean().optional(),
    /** The `iss` every token must carry (required unless dev). */
    issuer: z.string().min(1).optional(),
    /** The `aud` a token must name (one of them); default the server's own URL, e.g. http://127.0.0.1:8080/mcp. */
    audience: z.union([z.string().min(1), z.array(z.string().min(1)).min(1)]).optional(),
    jwksUrl: z.string().url().optional(),
    jwksFile: z.string().min(1).optional(),
    publicKey: z.string().min(1).optional(),
    secretEnv: z.string().min(1).optional(),
    /** Allow-list of JWS algorithms; default every algorithm the key type supports ("none" never). */
    algorithms: z.array(z.string().min(1)).min(1).optional(),
    clockTolerance: durationValue.optional(),
    maxTokenAge: durationValue.optional(),
    /** Remote JWKS: refreshed in the background this often (default 10m). */
    jwksRefresh: durationValue.optional(),
    /** Remote JWKS: at most one fetch per this long, for unknown kids and failures alike (default 30s). */
    jwksCooldown: durationValue.optional(),
    /** Remote JWKS: how long past jwksRefresh the last good keys serve while the provider is down (default 1h). */
    jwksMaxStale: durationValue.optional(),
    /** For RFC 9728 metadata; default the issuer when it is a URL. */
    authorizationServers: z.array(z.string().url()).optional(),
    /** tool name → scopes, any one of which allows calling it (besides tools:call and tools:<toolName>). */
    tools: scopeLists.optional(),
    /** resource URI → scopes, any one of which allows reading it (besides resources:read and resources:<uri>). */
    resources: scopeLists.optional(),
    /** prompt name → scopes, any one of which allows getting it (besides prompts:get and prompts:<name>). */
    prompts: scopeLists.optional(),
  })
  .strict();
export type AuthConfig = z.infer<typeof authSchema>;
