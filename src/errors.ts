/**
 * Exit codes are part of mcpctl's interface: CI scripts branch on them, so they never change meaning.
 */
export const ExitCode = {
  ok: 0,
  /** The tool answered with isError, a replay differed, or the command failed at run time. */
  failure: 1,
  /** Bad flags, arguments or config. */
  usage: 2,
  /** The server refused our credentials (401/403). */
  auth: 3,
  /** The server could not be reached or did not start. */
  unreachable: 4,
  /** The server did not answer in time, or broke the protocol. */
  timeout: 5,
  /** The server refused for capacity: a rate limit (429) or overload (503); it may say when to retry. */
  capacity: 6,
} as const;
export type ExitCode = (typeof ExitCode)[keyof typeof ExitCode];

/**
 * An error caused by the user's input or environment: printed as one line (plus an optional hint), never with a
 * stack trace unless --verbose.
 */
export class UserError extends Error {
  readonly exitCode: ExitCode;
  readonly hint: string | undefined;

  constructor(message: string, options: { exitCode?: ExitCode; hint?: string; cause?: unknown } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'UserError';
    this.exitCode = options.exitCode ?? ExitCode.usage;
    this.hint = options.hint;
  }
}

export function isUserError(error: unknown): error is UserError {
  return error instanceof UserError;
}
