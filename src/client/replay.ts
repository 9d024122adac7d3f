import { rename, stat, writeFile } from 'node:fs/promises';
import { basename } from 'node:path';
import { color } from '../cli/color.js';
import { ExitCode, UserError } from '../errors.js';
import { targetOf } from '../gateway/jsonrpc.js';
import { defaultRedact, redactor } from '../redaction.js';
import { formatEntry, roundMs, type CallEntry } from '../record/entry.js';
import { readCallsFile, type NumberedEntry } from './calls-file.js';
import { compareJson, type Difference } from './compare.js';
import { DeadlineError } from './deadline.js';
import { checkExpectations, preview, type Answer } from './expect.js';
import { refusalOf } from './refusal.js';
import { rpcErrorOf } from './server-error.js';
import { formatPath, parsePath, type Step } from './json-path.js';
import { junitReport } from './junit.js';
import { print, writeLine } from './output.js';
import type { Session } from './session.js';
import { resolveTarget } from './target.js';
import { useResolvedSession, type ClientRun } from './use-session.js';

export interface ReplayOptions {
  /** --ignore paths: volatile fields left out of the comparison. */
  ignore: readonly string[];
  /** --update: write the new answers into the file instead of failing on them. */
  update: boolean;
  reporter: 'text' | 'junit';
  /** Where the JUnit XML goes; stdout when not given (the text report then goes to stderr). */
  output: string | undefined;
}

type Outcome = 'pass' | 'fail' | 'updated';

interface Replayed {
  numbered: NumberedEntry;
  name: string;
  outcome: Outcome;
  durationMs: number;
  /** What went wrong, one or more readable lines per problem. */
  failures: string[];
  answer: Answer | undefined;
}

/** The session's own initialize stands in for the recorded one: it is not replayed. */
const skippedMethods = new Set(['initialize']);

/** `mcpctl replay calls.jsonl <target>`: sends each recorded request again and compares the answers. */
export async function runReplay(run: ClientRun, file: string, options: ReplayOptions): Promise<ExitCode> {
  if (options.output !== undefined && options.reporter !== 'junit') throw new UserError('--output names the JUnit file: use it with --reporter junit');
  const ignore = options.ignore.map(parsePath);
  const all = await readCallsFile(file);
  const entries = all.filter(({ entry }) => !skippedMethods.has(entry.method));
  if (entries.length === 0) throw new UserError(`${file} has no calls to replay`);
  // With the XML on stdout, people read the report on stderr.
  const reportStream = options.reporter === 'junit' && options.output === undefined ? process.stderr : process.stdout;
  const say = (line: string): Promise<void> => writeLine(reportStream, line);
  // Bad flags end the run here, before there is anything to report.
  const target = await resolveTarget(run.flags, run.command);
  const started = performance.now();
  const startedAt = new Date();
  const results: Replayed[] = [];
  const replayed = (one: Replayed): void => {
    void say(reportLine(one));
    results.push(one);
  };
  // A failure that ends the session (it cannot start, the connection broke) is reported after the summary and the
  // JUnit file, which CI needs most then: the calls it left undone fail as not run.
  let stopped: unknown;
  try {
    await useResolvedSession(target, run.verbose, async (session) => {
      for (const numbered of entries) replayed(await replayOne(session, numbered, ignore, options.update));
    });
  } catch (error) {
    stopped = error;
    const reason = error instanceof Error ? error.message : String(error);
    for (const numbered of entries.slice(results.length)) replayed(notRun(numbered, reason));
  }
  const totalMs = performance.now() - started;
  if (options.update) await updateFile(file, all, results);
  const count = (outcome: Outcome) => results.filter((each) => each.outcome === outcome).length;
  const failed = count('fail');
  const summary = `${count('pass')} passed, ${failed} failed${options.update ? `, ${count('updated')} updated` : ''} (${results.length} calls from ${file} in ${(totalMs / 1000).toFixed(2)} s)`;
  await say(failed ? color.red(summary) : color.green(summary));
  if (options.reporter === 'junit') {
    const cases = results.map((each) => ({ name: `${each.name} (line ${each.numbered.line})`, classname: `replay.${basename(file)}`, durationMs: each.durationMs, failures: each.outcome === 'fail' ? each.failures : [] }));
    const xml = junitReport(basename(file), cases, totalMs, startedAt);
    if (options.output === undefined) await print(xml);
    else await writeFile(options.output, xml).catch((error: NodeJS.ErrnoException) => Promise.reject(new UserError(`cannot write ${options.output}: ${error.code ?? error.message}`)));
  }
  if (stopped !== undefined) throw stopped;
  return failed ? ExitCode.failure : ExitCode.ok;
}

async function replayOne(session: Session, numbered: NumberedEntry, ignore: readonly (readonly Step[])[], update: boolean): Promise<Replayed> {
  const { entry } = numbered;
  const name = nameOf(entry);
  const started = performance.now();
  const asked = await ask(session, entry);
  const durationMs = performance.now() - started;
  if ('unanswered' in asked) return { numbered, name, durationMs, answer: undefined, outcome: 'fail', failures: [asked.unanswered] };
  const { answer } = asked;
  const base = { numbered, name, durationMs, answer };
  const failures = entry.expect ? checkExpectations(entry.expect, answer, durationMs) : [];
  const recorded = 'result' in entry || entry.error !== undefined;
  const differences = recorded ? compareJson(recordedAnswer(entry), answer, ignore) : [];
  if (differences.length > 0 && update && failures.length === 0) return { ...base, outcome: 'updated', failures: differences.map(formatDifference) };
  failures.push(...differences.map(formatDifference));
  return { ...base, outcome: failures.length ? 'fail' : 'pass', failures };
}

/**
 * Sends the entry's request: its answer (a result, or a JSON-RPC error to compare), or why there is none. A refusal
 * or a timeout fails this call only (recordings hold no refusals: they are made behind auth and rate limits); a
 * connection that broke ends the replay.
 */
async function ask(session: Session, entry: CallEntry): Promise<{ answer: Answer } | { unanswered: string }> {
  try {
    return { answer: { result: await session.request(entry.method, entry.params) } };
  } catch (error) {
    const refusal = refusalOf(error);
    if (refusal) return { unanswered: `refused (${refusal.how})${refusal.message === undefined ? '' : `: ${refusal.message}`}` };
    if (error instanceof DeadlineError) return { unanswered: `no answer within ${session.timeoutMs} ms` };
    const rpc = rpcErrorOf(error);
    if (rpc) return { answer: { error: rpc } };
    throw error;
  }
}

function notRun(numbered: NumberedEntry, reason: string): Replayed {
  return { numbered, name: nameOf(numbered.entry), outcome: 'fail', durationMs: 0, failures: [`not run: ${reason}`], answer: undefined };
}

function nameOf(entry: CallEntry): string {
  return entry.name ?? [entry.method, targetOf({ jsonrpc: '2.0', method: entry.method, params: entry.params })].filter(Boolean).join(' ');
}

function recordedAnswer(entry: CallEntry): Answer {
  return entry.error !== undefined ? { error: entry.error } : { result: entry.result };
}

/** A difference as a person reads it: the path, then the recorded value (-) and the new one (+). */
function formatDifference(difference: Difference): string {
  const lines = [formatPath(difference.path)];
  if ('expected' in difference) lines.push(`  - ${preview(difference.expected, 400)}`);
  if ('actual' in difference) lines.push(`  + ${preview(difference.actual, 400)}`);
  return lines.join('\n');
}

function reportLine(one: Replayed): string {
  const label = { pass: color.green('PASS'), fail: color.red('FAIL'), updated: color.yellow('UPDATED') }[one.outcome];
  const head = `${label} ${one.name} ${color.dim(`(line ${one.numbered.line}, ${one.durationMs.toFixed(1)} ms)`)}`;
  if (one.outcome === 'pass') return head;
  const details = one.failures.join('\n').split('\n').map((line) => `     ${line.startsWith('  - ') ? color.red(line) : line.startsWith('  + ') ? color.green(line) : line}`);
  return [head, ...details].join('\n');
}

/**
 * --update: calls whose answers changed take the new ones, their secrets masked by the default list as the
 * recorder would; every other line stays as it was written, and the file keeps its mode (0600 as recorded).
 */
async function updateFile(file: string, all: readonly NumberedEntry[], results: readonly Replayed[]): Promise<void> {
  const updated = new Map(results.filter((each) => each.outcome === 'updated').map((each) => [each.numbered.line, each]));
  const redact = redactor(defaultRedact);
  const lines = all.map(({ line, entry, text }) => {
    const replayed = updated.get(line);
    if (!replayed?.answer) return text;
    const { result: _result, error: _error, ...rest } = entry;
    return formatEntry({ ...rest, ...redact(replayed.answer), durationMs: roundMs(replayed.durationMs), ts: new Date().toISOString() });
  });
  const temporary = `${file}.${process.pid}.tmp`;
  await writeFile(temporary, `${lines.join('\n')}\n`, { mode: (await stat(file)).mode & 0o777 });
  await rename(temporary, file);
}
