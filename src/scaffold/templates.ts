import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { UserError } from '../errors.js';

export interface Template {
  name: string;
  /** One line from the template's package.json, shown in prompts and errors. */
  description: string;
  dir: string;
}

export const defaultTemplate = 'minimal';

const templatesDir = fileURLToPath(new URL('../../templates/', import.meta.url));

/** The templates shipped with mcpctl: every directory under templates/, the default first. */
export function listTemplates(): Template[] {
  return readdirSync(templatesDir, { withFileTypes: true })
    .filter((entry) => entry.isDirectory())
    .map((entry) => {
      const dir = join(templatesDir, entry.name);
      const { description } = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { description: string };
      return { name: entry.name, description, dir };
    })
    .sort((a, b) => Number(b.name === defaultTemplate) - Number(a.name === defaultTemplate) || a.name.localeCompare(b.name));
}

export function findTemplate(name: string): Template {
  const templates = listTemplates();
  const template = templates.find((candidate) => candidate.name === name);
  if (!template) throw new UserError(`unknown template "${name}": choose one of ${templates.map((known) => known.name).join(', ')}`);
  return template;
}
