import { resolveTarget, type ResolvedTarget, type TargetFlags } from './target.js';
import { openSession, type Session } from './session.js';

export interface ClientRun {
  flags: TargetFlags;
  /** The server command after `--`, if any. */
  command: readonly string[] | undefined;
  verbose: boolean;
}

/** Resolves the target, connects, runs `work`, and always closes; errors come out with their exit codes. */
export async function useSession<T>(run: ClientRun, work: (session: Session) => Promise<T>): Promise<T> {
  return useResolvedSession(await resolveTarget(run.flags, run.command), run.verbose, work);
}

/** useSession with the target already resolved: for a command that must tell bad flags from a failed session. */
export async function useResolvedSession<T>(target: ResolvedTarget, verbose: boolean, work: (session: Session) => Promise<T>): Promise<T> {
  const session = await openSession(target, { verbose });
  try {
    return await work(session);
  } catch (error) {
    throw session.fail(error);
  } finally {
    await session.close();
  }
}
