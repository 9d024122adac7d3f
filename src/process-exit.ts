/** How a process ended, as a user reads it: "exited with code 3" or "was killed by SIGTERM". */
export function describeExit(exit: { code?: number | null; signal?: string | null }): string {
  return exit.signal ? `was killed by ${exit.signal}` : `exited with code ${exit.code ?? 'unknown'}`;
}

/** Why a command could not be started, as a user reads it: "command not found", "not executable" or the system's words. */
export function describeSpawnError(error: NodeJS.ErrnoException): string {
  return error.code === 'ENOENT' ? 'command not found' : error.code === 'EACCES' ? 'not executable' : error.message;
}
