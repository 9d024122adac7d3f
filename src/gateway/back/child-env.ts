/**
 * mcpctl's own secrets: the Langfuse key pair and the OTLP headers (which carry a backend's credentials). The
 * Redis URL, with its password, comes from mcpctl.json or a flag, never from the environment, so it is not here.
 */
const gatewaySecrets = new Set(['LANGFUSE_PUBLIC_KEY', 'LANGFUSE_SECRET_KEY', 'OTEL_EXPORTER_OTLP_HEADERS', 'OTEL_EXPORTER_OTLP_TRACES_HEADERS']);

/** mcpctl's own variables, MCPCTL_TOKEN (the stdio caller's token) among them. */
const ownPrefix = 'MCPCTL_';

export interface ChildEnvOptions {
  /** The variable that holds the HS256 secret tokens are verified with (auth.secretEnv, --secret-env). */
  secretEnv?: string | undefined;
  /** Withheld variables to pass on all the same (--child-env, childEnv). */
  passEnv?: readonly string[] | undefined;
}

/** The environment a child server starts with: the gateway's, less what is the gateway's alone unless asked for. */
export function childEnvironment(source: NodeJS.ProcessEnv, options: ChildEnvOptions): NodeJS.ProcessEnv {
  const passed = new Set(options.passEnv);
  const withheld = (name: string): boolean => !passed.has(name) && (name.startsWith(ownPrefix) || gatewaySecrets.has(name) || name === options.secretEnv);
  return Object.fromEntries(Object.entries(source).filter(([name]) => !withheld(name)));
}
