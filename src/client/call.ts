import { color, errorColor } from '../cli/color.js';
import { ExitCode, type UserError } from '../errors.js';
import { buildArguments, checkRequired } from './arguments.js';
import { findTool, requestUnlisted } from './catalog.js';
import { print, printJson } from './output.js';
import { renderContent } from './render.js';
import type { Session } from './session.js';
import { useSession, type ClientRun } from './use-session.js';

export interface CallOptions {
  json: boolean;
  /** --args '<json>' */
  args: string | undefined;
}

/** A tools/call ready to send: arguments coerced by the tool's input schema, required ones checked. */
export interface PreparedCall {
  params: { name: string; arguments: Record<string, unknown> };
  /** Set when tools/list does not show the tool (see requestUnlisted). */
  unlisted: UserError | undefined;
}

export async function prepareToolCall(session: Session, tool: string, words: readonly string[], json: string | undefined, example: string): Promise<PreparedCall> {
  const { item, unlisted } = await findTool(session, tool);
  const args = buildArguments(`tool "${tool}"`, words, json, item?.inputSchema);
  checkRequired(`tool "${tool}"`, args, item?.inputSchema, example);
  return { params: { name: tool, arguments: args }, unlisted };
}

/** `mcpctl call <tool> [key=value …]`: exit 1 when the tool answers isError. */
export async function runCall(run: ClientRun, tool: string, words: readonly string[], options: CallOptions): Promise<ExitCode> {
  return useSession(run, async (session) => {
    const { params, unlisted } = await prepareToolCall(session, tool, words, options.args, `mcpctl call ${tool}`);
    const result = unlisted ? await requestUnlisted(session, 'tools/call', params, unlisted) : await session.request('tools/call', params);
    const failed = result.isError === true;
    if (options.json) await printJson(result);
    else if (failed) process.stderr.write(`${errorColor.red(`tool "${tool}" answered with an error:`)}\n${renderContent(result)}\n`);
    else await print(renderContent(result) || color.dim('(no content)'));
    return failed ? ExitCode.failure : ExitCode.ok;
  });
}
