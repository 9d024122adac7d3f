import { color, errorColor } from '../cli/color.js';
import { ExitCode } from '../errors.js';
import { buildArguments, checkRequired } from './arguments.js';
import { findTool } from './catalog.js';
import { print, printJson } from './output.js';
import { renderContent } from './render.js';
import type { Session } from './session.js';
import { useSession, type ClientRun } from './use-session.js';

export interface CallOptions {
  json: boolean;
  /** --args '<json>' */
  args: string | undefined;
}

/** The arguments of a tools/call, coerced by the tool's input schema and checked for required keys. */
export async function prepareToolCall(session: Session, tool: string, words: readonly string[], json: string | undefined, example: string): Promise<Record<string, unknown>> {
  const { inputSchema } = await findTool(session, tool);
  const args = buildArguments(`tool "${tool}"`, words, json, inputSchema);
  checkRequired(`tool "${tool}"`, args, inputSchema, example);
  return args;
}

/** `mcpctl call <tool> [key=value …]`: exit 1 when the tool answers isError. */
export async function runCall(run: ClientRun, tool: string, words: readonly string[], options: CallOptions): Promise<ExitCode> {
  return useSession(run, async (session) => {
    const args = await prepareToolCall(session, tool, words, options.args, `mcpctl call ${tool}`);
    const result = await session.request('tools/call', { name: tool, arguments: args });
    const failed = result.isError === true;
    if (options.json) await printJson(result);
    else if (failed) process.stderr.write(`${errorColor.red(`tool "${tool}" answered with an error:`)}\n${renderContent(result)}\n`);
    else await print(renderContent(result) || color.dim('(no content)'));
    return failed ? ExitCode.failure : ExitCode.ok;
  });
}
