import type { Command } from 'commander';
import { addTargetOptions, clientRun, targetHelp } from './target-options.js';

export function registerBench(program: Command): void {
  addTargetOptions(
    program
      .command('bench')
      .description('call one tool many times, some at once: latency percentiles, throughput and errors')
      .argument('<tool>', 'the tool to call')
      .argument('[arguments...]', 'key=value pairs, as for mcpctl call')
      .option('-n, --calls <count>', 'how many calls (default 1000)')
      .option('--duration <time>', 'call for this long instead, e.g. 30s')
      .option('-c, --concurrency <n>', 'calls in flight at once', '10')
      .option('--args <json>', 'the arguments as one JSON object')
      .option('--json', 'print the report as JSON'),
  )
    .addHelpText('after', `\nExamples:\n  $ mcpctl bench echo message=hi -n 2000 -c 16 -- node dist/server.js\n  $ mcpctl bench search query=mcp --duration 30s --url http://127.0.0.1:8080/mcp --as alice --json\n${targetHelp}`)
    .action(async (_tool: unknown, _words: unknown, flags: { calls?: string; duration?: string; concurrency: string; args?: string; json?: boolean }, command: Command) => {
      const { run, operands } = clientRun(command, 1, Number.POSITIVE_INFINITY);
      const { runBench } = await import('../client/bench.js');
      process.exit(await runBench(run, operands[0]!, operands.slice(1), { count: flags.calls, duration: flags.duration, concurrency: flags.concurrency, args: flags.args, json: flags.json === true }));
    });
}
