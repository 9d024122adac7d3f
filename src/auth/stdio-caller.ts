import { ExitCode, UserError } from '../errors.js';
import type { Caller } from '../gateway/index.js';
import type { TokenVerifier } from './verifier.js';

export const tokenVariable = 'MCPCTL_TOKEN';

const hint = 'mint one with "mcpctl token mint --sub you --scope tools:call" (dev) and export MCPCTL_TOKEN=…, or serve with --no-auth';

/** stdio has no headers: the caller is the token in MCPCTL_TOKEN, verified once at start. */
export async function stdioCallerFrom(env: NodeJS.ProcessEnv, verifier: TokenVerifier): Promise<Caller> {
  const token = env[tokenVariable]?.trim();
  if (token === undefined || token === '') throw new UserError(`auth is on and ${tokenVariable} is not set: on stdio the caller's token comes from the environment`, { exitCode: ExitCode.auth, hint });
  const verification = await verifier.verify(token);
  if (!verification.ok) {
    throw new UserError(`${tokenVariable} was refused: ${verification.reason}`, verification.unavailable ? { exitCode: ExitCode.unreachable } : { exitCode: ExitCode.auth, hint });
  }
  return verification.caller;
}
