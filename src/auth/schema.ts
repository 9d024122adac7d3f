import type { z } from 'zod';
import { UserError } from '../errors.js';
import { duration, section, setting, type ConfigOf, type SettingsOf, type Zod } from '../setting-rows.js';

const scopeLists = (zod: Zod): z.ZodType<Record<string, string[]>> => zod.record(zod.string(), zod.array(zod.string().min(1)));

/** The `auth` section of mcpctl.json and the flags of `mcpctl serve` that override its keys one by one. */
export const authSection = section(
  {
    /** Trust the dev key pair written by `mcpctl keys init` (.mcpctl/), with its issuer/audience defaults. */
    dev: setting({ flag: '--dev', help: 'trust the dev key from "mcpctl keys init" (issuer and audience defaults)', json: (zod) => zod.boolean() }),
    /** The `iss` every token must carry (required unless dev). */
    issuer: setting({ flag: '--issuer <iss>', help: 'required token issuer (iss)', json: (zod) => zod.string().min(1) }),
    /** The `aud` a token must name (one of them); default the server's own URL, e.g. http://127.0.0.1:8080/mcp. */
    audience: setting({
      flag: '--audience <aud>',
      help: "required token audience (default: this server's URL, e.g. http://127.0.0.1:8080/mcp)",
      json: (zod) => zod.union([zod.string().min(1), zod.array(zod.string().min(1)).min(1)]),
      parse: (audience): string[] => (typeof audience === 'string' ? [audience] : audience),
    }),
    jwksUrl: setting({ flag: '--jwks-url <url>', help: 'verify tokens with keys from this JWKS URL (cached)', json: (zod) => zod.string().url(), parse: jwksUrl }),
    jwksFile: setting({ flag: '--jwks-file <file>', help: 'verify tokens with keys from this JWKS file', json: (zod) => zod.string().min(1) }),
    publicKey: setting({ flag: '--public-key <file>', help: 'verify tokens with this PEM public key', json: (zod) => zod.string().min(1) }),
    secretEnv: setting({ flag: '--secret-env <var>', help: 'verify HS256 tokens with the secret in this env var (dev only)', json: (zod) => zod.string().min(1) }),
    /** Allow-list of JWS algorithms; default every algorithm the key type supports ("none" never). */
    algorithms: setting({
      flag: '--algorithms <list>',
      help: 'allowed JWT algorithms, comma-separated (default: from the key type)',
      json: (zod) => zod.array(zod.string().min(1)).min(1),
      fromFlag: (list) => list.split(',').map((name) => name.trim()).filter(Boolean),
    }),
    clockTolerance: setting({ flag: '--clock-tolerance <duration>', help: 'allowed clock skew for exp/nbf/iat (default {default})', default: '30s', ...duration('clock tolerance') }),
    maxTokenAge: setting({ flag: '--max-token-age <duration>', help: 'refuse tokens issued (iat) longer ago than this', ...duration('max token age') }),
    /** Remote JWKS: refreshed in the background this often (default 10m). */
    jwksRefresh: setting(duration('jwksRefresh')),
    /** Remote JWKS: at most one fetch per this long, for unknown kids and failures alike (default 30s). */
    jwksCooldown: setting(duration('jwksCooldown')),
    /** Remote JWKS: how long past jwksRefresh the last good keys serve while the provider is down (default 1h). */
    jwksMaxStale: setting(duration('jwksMaxStale')),
    /** For RFC 9728 metadata; default the issuer when it is a URL. */
    authorizationServers: setting({
      flag: '--authorization-server <url>',
      help: 'authorization server for RFC 9728 metadata (default: the issuer; repeatable)',
      repeat: 'replace',
      json: (zod) => zod.array(zod.string().url()),
    }),
    /** tool name → scopes, any one of which allows calling it (besides tools:call and tools:<toolName>). */
    tools: setting({ json: scopeLists }),
    /** resource URI → scopes, any one of which allows reading it (besides resources:read and resources:<uri>). */
    resources: setting({ json: scopeLists }),
    /** prompt name → scopes, any one of which allows getting it (besides prompts:get and prompts:<name>). */
    prompts: setting({ json: scopeLists }),
  },
  { flag: '--no-auth', help: 'serve without authentication, even if mcpctl.json configures it' },
);
/** The `auth` section as mcpctl.json holds it. */
export type AuthConfig = ConfigOf<typeof authSection.keys>;
/** The `auth` section as createAuth takes it: durations in ms, the audience a list, the JWKS URL checked. */
export type AuthSettings = SettingsOf<typeof authSection.keys>;

function jwksUrl(text: string): URL {
  const url = new URL(text);
  if (url.protocol !== 'https:' && url.protocol !== 'http:') throw new UserError(`--jwks-url must be an http(s) URL, got ${url.protocol}`);
  return url;
}
