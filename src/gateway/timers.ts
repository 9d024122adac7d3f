/** Timers that must not keep the process alive, on any runtime. */

/** Lets the process exit while `timer` is pending where the runtime has such a notion (Node); elsewhere nothing. */
export function unref(timer: unknown): void {
  (timer as { unref?: () => void } | undefined)?.unref?.();
}
