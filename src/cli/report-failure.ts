import { ExitCode, isUserError } from '../errors.js';

/** Prints an error the way a user should see it and exits: one line for user errors, the stack for bugs. */
export async function reportFailure(error: unknown, verbose: boolean): Promise<never> {
  const { errorColor: style } = await import('./color.js');
  if (isUserError(error)) {
    process.stderr.write(`${style.red('mcpctl:')} ${error.message}\n`);
    if (error.hint) process.stderr.write(`${style.dim(error.hint)}\n`);
    if (verbose && error.cause instanceof Error) process.stderr.write(`${error.cause.stack ?? error.cause.message}\n`);
    process.exit(error.exitCode);
  }
  const message = error instanceof Error ? error.message : String(error);
  process.stderr.write(`${style.red('mcpctl: unexpected error:')} ${message}\n`);
  if (verbose && error instanceof Error) process.stderr.write(`${error.stack}\n`);
  else process.stderr.write(`${style.dim('(run with --verbose for the stack trace, and please report it)')}\n`);
  process.exit(ExitCode.failure);
}
