import { resolveTarget, type TargetFlags } from './target.js';
import { openSession, type Session } from './session.js';

export interface ClientRun {
  flags: TargetFlags;
  /** The server command after `--`, if any. */
  command: readonly string[] | undefined;
  verbose: boolean;
}

/** Resolves the target, connects, runs `work`, and always closes; errors come out with their exit codes. */
export async function useSession<T>(run: ClientRun, work: (session: Session) => Promise<T>): Promise<T> {
  const session = await openSession(await resolveTarget(run.flags, run.command), { verbose: run.verbose });
  try {
    return await work(session);
  } catch (error) {
    throw session.fail(error);
  } finally {
    await session.close();
  }
}
