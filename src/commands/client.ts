import type { Command } from 'commander';
import { registerBench } from './bench.js';
import { registerReplay } from './replay.js';
import { addTargetOptions, clientRun, retryOption, targetHelp } from './target-options.js';

export function registerClientCommands(program: Command): void {
  addTargetOptions(
    program
      .command('list')
      .description("list a server's tools, resources, resource templates and prompts")
      .argument('[kind]', 'what to list: tools, resources, templates or prompts (default: all the server offers)')
      .option('--json', 'print the MCP result objects as the server sent them'),
  )
    .addOption(retryOption())
    .addHelpText('after', `\nExamples:\n  $ mcpctl list --url http://127.0.0.1:8080/mcp\n  $ mcpctl list tools --json -- node dist/server.js\n${targetHelp}`)
    .action(async (_kind: unknown, flags: { json?: boolean }, command: Command) => {
      const { run, operands } = clientRun(command, 0, 1);
      const { runList } = await import('../client/list.js');
      process.exit(await runList(run, operands[0], { json: flags.json === true }));
    });

  addTargetOptions(
    program
      .command('call')
      .description('call a tool: key=value arguments are coerced by its input schema')
      .argument('<tool>', 'the tool to call')
      .argument('[arguments...]', 'key=value pairs, e.g. count=3 dry=true filter=\'{"a":1}\'')
      .option('--args <json>', 'the arguments as one JSON object (key=value pairs override its keys)')
      .option('--json', 'print the CallToolResult as the server sent it'),
  )
    .addOption(retryOption())
    .addHelpText(
      'after',
      `\nExamples:\n  $ mcpctl call echo message=hi -- node dist/server.js\n  $ mcpctl call search query=mcp limit=5 --url http://127.0.0.1:8080/mcp --as alice --scope "tools:search"\n  $ mcpctl call create --args '{"tags":["a","b"]}' --json --config mcp.json --server files\n${targetHelp}`,
    )
    .action(async (_tool: unknown, _words: unknown, flags: { json?: boolean; args?: string }, command: Command) => {
      const { run, operands } = clientRun(command, 1, Number.POSITIVE_INFINITY);
      const { runCall } = await import('../client/call.js');
      process.exit(await runCall(run, operands[0]!, operands.slice(1), { json: flags.json === true, args: flags.args }));
    });

  addTargetOptions(
    program
      .command('read')
      .description('read a resource')
      .argument('<uri>', 'the resource URI, e.g. file:///README.md')
      .option('--json', 'print the ReadResourceResult as the server sent it'),
  )
    .addOption(retryOption())
    .addHelpText('after', `\nExamples:\n  $ mcpctl read test://greeting -- node dist/server.js\n${targetHelp}`)
    .action(async (_uri: unknown, flags: { json?: boolean }, command: Command) => {
      const { run, operands } = clientRun(command, 1, 1);
      const { runRead } = await import('../client/read.js');
      process.exit(await runRead(run, operands[0]!, { json: flags.json === true }));
    });

  addTargetOptions(
    program
      .command('prompt')
      .description('get a prompt, filled in with key=value arguments')
      .argument('<name>', 'the prompt')
      .argument('[arguments...]', 'key=value pairs')
      .option('--json', 'print the GetPromptResult as the server sent it'),
  )
    .addOption(retryOption())
    .addHelpText('after', `\nExamples:\n  $ mcpctl prompt hello name=Ada -- node dist/server.js\n${targetHelp}`)
    .action(async (_name: unknown, _words: unknown, flags: { json?: boolean }, command: Command) => {
      const { run, operands } = clientRun(command, 1, Number.POSITIVE_INFINITY);
      const { runPrompt } = await import('../client/prompt.js');
      process.exit(await runPrompt(run, operands[0]!, operands.slice(1), { json: flags.json === true }));
    });

  registerReplay(program);
  registerBench(program);
}
