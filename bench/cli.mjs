// npm run bench:cli: how long the CLI takes to start, against bare Node start-up, in one run on this machine.
// Rounds interleave the rows (so drift in machine load hits every row alike) and each figure is the median.
//   node bench/cli.mjs [--rounds 30] [--only <substring>] [--json]
// A row: { name, argv: [command, ...args], baseline?: '<row name>', target?: <max ratio to the baseline>,
//          env?, setup?() → Promise<{ argv?, env?, cleanup?() }>, skip?: '<why it cannot run here>' }. Add rows to the list below.
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { clientRows } from './client-rows.mjs';
import { flag, median, option } from './lib/args.mjs';

const rounds = Number(option('rounds', 30));
const warmup = 3;
const only = option('only', undefined);

const node = process.execPath;
const mcpctl = fileURLToPath(new URL('../bin/mcpctl.js', import.meta.url));

const allRows = [
  { name: 'node -e 0', argv: [node, '-e', '0'] },
  { name: 'mcpctl --help', argv: [node, mcpctl, '--help'], baseline: 'node -e 0', target: 1.5 },
  { name: 'mcpctl --version', argv: [node, mcpctl, '--version'], baseline: 'node -e 0', target: 1.5 },
  ...clientRows({ node, mcpctl }),
];

const selected = only ? allRows.filter((row) => row.name.includes(only)) : allRows;
const needed = new Set(selected.map((row) => row.baseline).filter(Boolean));
// A row that cannot run on this machine says why, and so does a row measured against it; the rest run.
const skipReason = (row) => row.skip ?? (allRows.find((other) => other.name === row.baseline)?.skip === undefined ? undefined : `its baseline is skipped`);
const listed = allRows.filter((row) => selected.includes(row) || needed.has(row.name));
const skipped = listed.filter((row) => skipReason(row) !== undefined);
const rows = listed.filter((row) => !skipped.includes(row));

/** Runs a row once and returns its wall time in ms; a failing command stops the bench, its figures would lie. */
function time(row, prepared) {
  const [command, ...args] = prepared.argv ?? row.argv;
  const started = process.hrtime.bigint();
  const result = spawnSync(command, args, { stdio: ['ignore', 'ignore', 'pipe'], env: { ...process.env, ...row.env, ...prepared.env } });
  const ms = Number(process.hrtime.bigint() - started) / 1e6;
  if (result.status !== 0) throw new Error(`${row.name} exited with ${result.status ?? result.signal}: ${result.stderr}`);
  return ms;
}


const prepared = await Promise.all(rows.map(async (row) => (await row.setup?.()) ?? {}));
const samples = new Map(rows.map((row) => [row.name, []]));
try {
  for (let round = 0; round < warmup + rounds; round++) {
    rows.forEach((row, index) => {
      const ms = time(row, prepared[index]);
      if (round >= warmup) samples.get(row.name).push(ms);
    });
  }
} finally {
  await Promise.all(prepared.map((setup) => setup.cleanup?.()));
}

const results = Object.fromEntries(rows.map((row) => [row.name, median(samples.get(row.name))]));
const verdicts = rows
  .filter((row) => row.baseline)
  .map((row) => {
    const ratio = results[row.name] / results[row.baseline];
    return { row, ratio, ok: row.target === undefined || ratio <= row.target };
  });

if (flag('json')) {
  const skips = Object.fromEntries(skipped.map((row) => [row.name, skipReason(row)]));
  console.log(JSON.stringify({ rounds, node: process.version, medianMs: results, ratios: Object.fromEntries(verdicts.map((v) => [v.row.name, v.ratio])), skipped: skips }, null, 2));
} else {
  const table = [['row', 'median ms', 'vs baseline', 'target', 'baseline']];
  for (const row of rows) {
    const verdict = verdicts.find((v) => v.row === row);
    table.push([
      row.name,
      results[row.name].toFixed(1),
      verdict ? `${verdict.ratio.toFixed(2)}x` : '',
      row.target === undefined ? '' : `<= ${row.target}x ${verdict.ok ? 'PASS' : 'MISS'}`,
      row.baseline ?? '',
    ]);
  }
  for (const row of skipped) table.push([row.name, 'skipped', '', row.target === undefined ? '' : `<= ${row.target}x`, row.baseline ?? '']);
  const widths = table[0].map((_, column) => Math.max(...table.map((line) => line[column].length)));
  console.log(`\nmcpctl CLI start-up: ${rounds} rounds after ${warmup} warm-up (medians), node ${process.version}\n`);
  for (const line of table) console.log(line.map((cell, column) => cell.padEnd(widths[column])).join('  ').trimEnd());
  if (skipped.length) console.log('');
  for (const row of skipped) console.log(`skipped ${row.name}: ${skipReason(row)}`);
}
if (verdicts.some((verdict) => !verdict.ok)) process.exitCode = 1;
