import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { freePort } from '../helpers/ports.js';

/** A redis-server this test run started, on a loopback port of its own; stopped by pid. */
export interface RedisServer {
  readonly port: number;
  readonly pid: number;
  readonly url: (db?: number) => string;
  /** SIGKILL, as an outage would: no goodbye to connected clients. */
  kill(): Promise<void>;
  /** SIGTERM, and wait for the exit. */
  stop(): Promise<void>;
}

/** The redis-server binary on PATH, or undefined when it is not installed. */
export function findRedisServer(): string | undefined {
  const found = spawnSync('sh', ['-c', 'command -v redis-server'], { encoding: 'utf8' });
  return found.status === 0 ? found.stdout.trim() || undefined : undefined;
}

export const missingRedisMessage = 'redis-server is not installed: the Redis rate-limit tests need it (apt-get install -y redis-server; .ci/run installs it)';

/** Starts `redis-server` on 127.0.0.1 without persistence; on `port` when given (a restart), else on a free one. */
export async function startRedisServer(port?: number): Promise<RedisServer> {
  for (let attempt = 0; ; attempt++) {
    const chosen = port ?? (await freePort());
    try {
      return await launch(chosen);
    } catch (error) {
      // Someone took the port between the probe and the start: pick another, unless the port was asked for.
      if (port !== undefined || attempt >= 3) throw error;
    }
  }
}

async function launch(port: number): Promise<RedisServer> {
  const proc = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--databases', '64'], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => {
      proc.kill('SIGKILL'); // not watched yet: stop it here, or it outlives the run
      reject(new Error(`redis-server did not start on port ${port} within 10 s:\n${output}`));
    }, 10_000);
    const onData = (chunk: Buffer): void => {
      output += chunk.toString();
      if (output.includes('Ready to accept connections')) {
        clearTimeout(timer);
        resolve();
      }
    };
    proc.stdout!.on('data', onData);
    proc.stderr!.on('data', onData);
    proc.once('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    proc.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`redis-server exited with ${code} before it was ready on port ${port}:\n${output}`));
    });
  });
  proc.stdout!.resume();
  proc.stderr!.resume();
  const watchdog = watch(proc.pid!);
  return {
    port,
    pid: proc.pid!,
    url: (db = 0) => `redis://127.0.0.1:${port}/${db}`,
    kill: () => end(proc, watchdog, 'SIGKILL'),
    stop: () => end(proc, watchdog, 'SIGTERM'),
  };
}

/**
 * Stops redis-server within a second when this process dies without a teardown (a test run killed by a
 * timeout): a shell loop that watches both pids, so no redis-server outlives the run that started it.
 */
function watch(redisPid: number): ChildProcess {
  const loop = 'while kill -0 "$1" 2>/dev/null; do kill -0 "$2" 2>/dev/null || { kill "$1"; exit; }; sleep 1; done';
  const watchdog = spawn('sh', ['-c', loop, 'redis-watchdog', String(redisPid), String(process.pid)], { stdio: 'ignore', detached: true });
  watchdog.unref();
  return watchdog;
}

function end(proc: ChildProcess, watchdog: ChildProcess, signal: NodeJS.Signals): Promise<void> {
  if (watchdog.exitCode === null && watchdog.signalCode === null) watchdog.kill();
  return new Promise((resolve) => {
    if (proc.exitCode !== null || proc.signalCode !== null) return resolve();
    proc.once('exit', () => resolve());
    process.kill(proc.pid!, signal);
  });
}
