const width = 30;
const everyMs = 100;

export interface Progress {
  stop(): void;
}

/**
 * A progress bar on stderr, redrawn every 100 ms, only when stderr is a terminal (CI logs and pipes get none).
 * `state()` says how far along the run is, as a fraction, and what to print beside the bar.
 */
export function startProgress(state: () => { fraction: number; label: string }): Progress {
  const stream = process.stderr;
  if (!stream.isTTY) return { stop() {} };
  const draw = (): void => {
    const { fraction, label } = state();
    const filled = Math.round(Math.min(Math.max(fraction, 0), 1) * width);
    stream.write(`\r[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${label}\u001b[K`);
  };
  const timer = setInterval(draw, everyMs);
  draw();
  return {
    stop() {
      clearInterval(timer);
      stream.write('\r\u001b[K');
    },
  };
}
