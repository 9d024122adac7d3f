import { color } from '../cli/color.js';
import { ExitCode, UserError } from '../errors.js';
import { listAll } from './catalog.js';
import { print, printJson, terminalWidth } from './output.js';
import { renderList, type ListKind } from './render.js';
import type { RawResult } from './session.js';
import { useSession, type ClientRun } from './use-session.js';

const sources: Record<ListKind, { method: string; key: string; capability: 'tools' | 'resources' | 'prompts' }> = {
  tools: { method: 'tools/list', key: 'tools', capability: 'tools' },
  resources: { method: 'resources/list', key: 'resources', capability: 'resources' },
  templates: { method: 'resources/templates/list', key: 'resourceTemplates', capability: 'resources' },
  prompts: { method: 'prompts/list', key: 'prompts', capability: 'prompts' },
};

const listKinds = Object.keys(sources) as ListKind[];

/**
 * `mcpctl list [kind]`: one kind, or every kind the server declares. A kind the server does not declare is
 * listed as empty rather than asked for (servers answer "method not found").
 */
export async function runList(run: ClientRun, kind: string | undefined, options: { json: boolean }): Promise<ExitCode> {
  if (kind !== undefined && !isListKind(kind)) throw new UserError(`cannot list "${kind}"`, { hint: `list one of: ${listKinds.join(', ')}` });
  return useSession(run, async (session) => {
    const capabilities = session.client.getServerCapabilities() ?? {};
    const kinds = kind ? [kind] : listKinds.filter((each) => capabilities[sources[each].capability] !== undefined);
    const results = new Map<ListKind, RawResult>();
    for (const each of kinds) {
      const { method, key, capability } = sources[each];
      results.set(each, capabilities[capability] === undefined ? { [key]: [] } : await listAll(session, method, key));
    }
    if (options.json) {
      // One kind: its result object as sent; several: their objects' keys side by side in one object.
      await printJson(Object.assign({}, ...results.values()));
    } else {
      const width = terminalWidth();
      const sections = [...results].map(([each, result]) => renderList(each, result, { width, heading: kind === undefined, styles: color }));
      await print(sections.length ? sections.join('\n\n') : color.dim('the server offers no tools, resources or prompts'));
    }
    return ExitCode.ok;
  });
}

function isListKind(kind: string): kind is ListKind {
  return (listKinds as string[]).includes(kind);
}
