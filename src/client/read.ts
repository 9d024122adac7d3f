import { ExitCode } from '../errors.js';
import { print, printJson } from './output.js';
import { renderResourceContents } from './render.js';
import { useSession, type ClientRun } from './use-session.js';

/** `mcpctl read <uri>`: text contents as they are, binary ones summarised (their bytes are in --json). */
export async function runRead(run: ClientRun, uri: string, options: { json: boolean }): Promise<ExitCode> {
  return useSession(run, async (session) => {
    const result = await session.request('resources/read', { uri });
    if (options.json) await printJson(result);
    else await print(((result.contents as Record<string, unknown>[] | undefined) ?? []).map(renderResourceContents).join('\n'));
    return ExitCode.ok;
  });
}
