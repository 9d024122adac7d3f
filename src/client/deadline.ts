/** Raised when the server does not answer within --timeout: exit 5. */
export class DeadlineError extends Error {
  constructor(
    readonly ms: number,
    readonly waitingFor: string,
  ) {
    super(`no answer within ${ms} ms (${waitingFor})`);
    this.name = 'DeadlineError';
  }
}

/** What the SDK's request methods accept: our signal cancels the request (and tells the server so). */
export interface DeadlineOptions {
  signal: AbortSignal;
  timeout: number;
}

/**
 * Runs `work` with a deadline of its own rather than the SDK's timeout, so that a timeout is a DeadlineError on
 * every transport rather than an McpError whose code (-32001) servers use for other things too. The race also
 * covers steps that take no signal (the legacy SSE handshake).
 */
export async function withDeadline<T>(ms: number, waitingFor: string, work: (options: DeadlineOptions) => Promise<T>): Promise<T> {
  const controller = new AbortController();
  let timer: NodeJS.Timeout | undefined;
  const expired = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => {
      const error = new DeadlineError(ms, waitingFor);
      // Settled before the abort: the SDK rejects its request at once on abort, with the reason wrapped in an
      // McpError, and the race must see ours first.
      reject(error);
      controller.abort(error);
    }, ms);
  });
  try {
    // The SDK's own timer is set past ours so that ours always fires first.
    return await Promise.race([work({ signal: controller.signal, timeout: ms + 60_000 }), expired]);
  } finally {
    clearTimeout(timer);
  }
}
