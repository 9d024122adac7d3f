/** How a process ended, as a user reads it: "exited with code 3" or "was killed by SIGTERM". */
export function describeExit(exit: { code?: number | null; signal?: string | null }): string {
  return exit.signal ? `was killed by ${exit.signal}` : `exited with code ${exit.code ?? 'unknown'}`;
}
