import { color } from '../cli/color.js';
import { ExitCode, UserError } from '../errors.js';
import { parseDuration, parseInteger } from '../units.js';
import { prepareToolCall, type PreparedCall } from './call.js';
import { requestUnlisted } from './catalog.js';
import { DeadlineError } from './deadline.js';
import { refusalOf, type RefusalKind } from './refusal.js';
import { rpcErrorOf } from './server-error.js';
import { print, printJson } from './output.js';
import { startProgress } from './progress.js';
import type { Session } from './session.js';
import { useSession, type ClientRun } from './use-session.js';

export interface BenchOptions {
  /** -n: how many calls; the default when neither this nor --duration is given. */
  count: string | undefined;
  /** --duration: call for this long instead. */
  duration: string | undefined;
  /** -c: calls in flight at once. */
  concurrency: string;
  args: string | undefined;
  json: boolean;
}

export interface BenchReport {
  tool: string;
  calls: number;
  concurrency: number;
  durationMs: number;
  /** Calls per second. */
  throughput: number;
  /** Calls that failed: answered with isError or a JSON-RPC error, not answered in time, or refused. */
  errors: number;
  /** The failed calls by why: refused over a rate limit (429), for overload (503) or for the credentials (401/403), or other. */
  errorsByKind: Record<ErrorKind, number>;
  latencyMs: { min: number; mean: number; p50: number; p90: number; p99: number; max: number };
}

type ErrorKind = 'rateLimited' | 'overloaded' | 'auth' | 'other';

const errorKindOf: Record<RefusalKind, ErrorKind> = { 'rate-limited': 'rateLimited', overloaded: 'overloaded', auth: 'auth' };
const errorKindWords: Record<ErrorKind, string> = { rateLimited: 'rate limited (429)', overloaded: 'overloaded (503)', auth: 'auth refused (401/403)', other: 'other' };

const defaultCount = 1000;

/** `mcpctl bench <tool>`: one session, `-c` calls in flight, until `-n` calls or `--duration` are done. */
export async function runBench(run: ClientRun, tool: string, words: readonly string[], options: BenchOptions): Promise<ExitCode> {
  if (options.count !== undefined && options.duration !== undefined) throw new UserError('give -n <calls> or --duration <time>, not both');
  const concurrency = parseInteger(options.concurrency, '-c', 1);
  const count = options.duration === undefined ? (options.count === undefined ? defaultCount : parseInteger(options.count, '-n', 1)) : undefined;
  const durationMs = options.duration === undefined ? undefined : parseDuration(options.duration, '--duration');
  return useSession(run, async (session) => {
    const { params, unlisted } = await prepareToolCall(session, tool, words, options.args, `mcpctl bench ${tool}`);
    // One call first: a tool the server does not know (or that is not the caller's) ends the run here.
    if (unlisted) await requestUnlisted(session, 'tools/call', params, unlisted);
    const report = await measure(session, params, { concurrency, count, durationMs });
    await (options.json ? printJson(report) : print(formatReport(report)));
    return report.errors > 0 ? ExitCode.failure : ExitCode.ok;
  });
}

async function measure(session: Session, params: PreparedCall['params'], plan: { concurrency: number; count?: number; durationMs?: number }): Promise<BenchReport> {
  const latencies: number[] = [];
  const errorsByKind: Record<ErrorKind, number> = { rateLimited: 0, overloaded: 0, auth: 0, other: 0 };
  let errors = 0;
  let issued = 0;
  const started = performance.now();
  const deadline = plan.durationMs === undefined ? Number.POSITIVE_INFINITY : started + plan.durationMs;
  const more = (): boolean => (plan.count === undefined ? performance.now() < deadline : issued < plan.count);
  const progress = startProgress(() => {
    const elapsed = performance.now() - started;
    const fraction = plan.count === undefined ? elapsed / plan.durationMs! : latencies.length / plan.count;
    const rate = Math.round((latencies.length * 1000) / Math.max(elapsed, 1));
    return { fraction, label: `${latencies.length}${plan.count === undefined ? '' : `/${plan.count}`} calls  ${rate}/s  ${errors} errors` };
  });
  const worker = async (): Promise<void> => {
    while (more()) {
      issued++;
      const begin = performance.now();
      let failed: ErrorKind | undefined;
      try {
        const result = await session.request('tools/call', params);
        if (result.isError === true) failed = 'other';
      } catch (error) {
        // A refusal is one of the answers under load: counted, and the run goes on. A broken connection ends it.
        const refusal = refusalOf(error);
        if (refusal === undefined && rpcErrorOf(error) === undefined && !(error instanceof DeadlineError)) throw error;
        failed = refusal ? errorKindOf[refusal.kind] : 'other';
      }
      if (failed) {
        errors++;
        errorsByKind[failed]++;
      }
      latencies.push(performance.now() - begin);
    }
  };
  try {
    await Promise.all(Array.from({ length: plan.concurrency }, worker));
  } finally {
    progress.stop();
  }
  const elapsed = performance.now() - started;
  return { tool: params.name, calls: latencies.length, concurrency: plan.concurrency, durationMs: round(elapsed), throughput: round((latencies.length * 1000) / elapsed), errors, errorsByKind, latencyMs: summarise(latencies) };
}

function summarise(latencies: number[]): BenchReport['latencyMs'] {
  const sorted = [...latencies].sort((a, b) => a - b);
  // Nearest rank: the smallest latency that at least p of the calls did not exceed.
  const at = (p: number): number => round(sorted[Math.max(Math.ceil(p * sorted.length) - 1, 0)] ?? 0);
  const mean = sorted.length ? sorted.reduce((sum, each) => sum + each, 0) / sorted.length : 0;
  return { min: at(0), mean: round(mean), p50: at(0.5), p90: at(0.9), p99: at(0.99), max: round(sorted.at(-1) ?? 0) };
}

function formatReport(report: BenchReport): string {
  const { latencyMs: latency } = report;
  const ms = (value: number): string => `${value.toFixed(2)} ms`;
  return [
    color.bold(`bench ${report.tool}: ${report.calls} calls, ${report.concurrency} at a time, ${(report.durationMs / 1000).toFixed(2)} s`),
    `  throughput  ${Math.round(report.throughput)} calls/s`,
    `  latency     p50 ${ms(latency.p50)}   p90 ${ms(latency.p90)}   p99 ${ms(latency.p99)}   ${color.dim(`(min ${ms(latency.min)}, mean ${ms(latency.mean)}, max ${ms(latency.max)})`)}`,
    `  errors      ${report.errors ? color.red(String(report.errors)) : '0'}${refusalBreakdown(report.errorsByKind)}`,
  ].join('\n');
}

/** ": 10 rate limited (429), 2 other" when some calls were refused; nothing when none was. */
function refusalBreakdown(errorsByKind: BenchReport['errorsByKind']): string {
  const counted = (Object.entries(errorsByKind) as [ErrorKind, number][]).filter(([, count]) => count > 0);
  if (!counted.some(([kind]) => kind !== 'other')) return '';
  return `: ${counted.map(([kind, count]) => `${count} ${errorKindWords[kind]}`).join(', ')}`;
}

function round(value: number): number {
  return Math.round(value * 1000) / 1000;
}
