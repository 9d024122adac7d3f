import { ExitCode } from '../errors.js';
import { buildArguments, checkRequired, type JsonSchema } from './arguments.js';
import { findPrompt, requestUnlisted, type Prompt } from './catalog.js';
import { print, printJson } from './output.js';
import { renderPrompt } from './render.js';
import { useSession, type ClientRun } from './use-session.js';

/** `mcpctl prompt <name> [key=value …]`: prompt arguments are strings, checked against prompts/list. */
export async function runPrompt(run: ClientRun, name: string, words: readonly string[], options: { json: boolean }): Promise<ExitCode> {
  return useSession(run, async (session) => {
    const { item, unlisted } = await findPrompt(session, name);
    const schema = item && schemaOf(item);
    const args = buildArguments(`prompt "${name}"`, words, undefined, schema);
    checkRequired(`prompt "${name}"`, args, schema, `mcpctl prompt ${name}`);
    const params = { name, arguments: args };
    const result = unlisted ? await requestUnlisted(session, 'prompts/get', params, unlisted) : await session.request('prompts/get', params);
    await (options.json ? printJson(result) : print(renderPrompt(result)));
    return ExitCode.ok;
  });
}

function schemaOf(prompt: Prompt): JsonSchema {
  const args = prompt.arguments ?? [];
  return {
    type: 'object',
    properties: Object.fromEntries(args.map((arg) => [arg.name, { type: 'string' }])),
    required: args.filter((arg) => arg.required === true).map((arg) => arg.name),
    additionalProperties: false,
  };
}
