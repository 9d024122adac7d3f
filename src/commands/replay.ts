import { Option, type Command } from 'commander';
import { addTargetOptions, clientRun, collect, retryOption, targetHelp } from './target-options.js';

export function registerReplay(program: Command): void {
  addTargetOptions(
    program
      .command('replay')
      .description('send recorded calls (serve --record) again and compare the answers: a smoke test for CI')
      .argument('<file>', 'a calls file: JSON lines from serve --record, or hand-written with "expect"')
      .option('--ignore <path>', 'leave a volatile field out of the comparison, e.g. result._meta or $..timestamp (repeatable)', collect)
      .option('--update', 'write the new answers into the file instead of failing on them')
      .addOption(new Option('--reporter <name>', 'also write a report for CI').choices(['junit']))
      .option('--output <file>', 'where --reporter junit writes its XML (default: stdout, the text report then goes to stderr)'),
  )
    .addOption(retryOption())
    .addHelpText(
      'after',
      `
Examples:
  $ mcpctl serve dist/server.js -t http --record calls.jsonl     record while you (or your tests) use it
  $ mcpctl replay calls.jsonl -- node dist/server.js             replay against a fresh server
  $ mcpctl replay calls.jsonl --url http://127.0.0.1:8080/mcp --ignore 'result._meta' \\
      --reporter junit --output replay.xml

A hand-written line checks instead of comparing:
  {"method":"tools/call","params":{"name":"echo","arguments":{"message":"hi"}},
   "expect":{"isError":false,"contains":"hi","equals":{"result.content[0].text":"hi"},"maxMs":500}}
${targetHelp}`,
    )
    .action(async (_file: unknown, flags: { ignore?: string[]; update?: boolean; reporter?: 'junit'; output?: string }, command: Command) => {
      const { run, operands } = clientRun(command, 1, 1);
      const { runReplay } = await import('../client/replay.js');
      process.exit(await runReplay(run, operands[0]!, { ignore: flags.ignore ?? [], update: flags.update === true, reporter: flags.reporter ?? 'text', output: flags.output }));
    });
}
