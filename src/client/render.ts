import type { RawResult } from './session.js';
import { describeType, type JsonSchema } from './arguments.js';
import { sameJson } from './compare.js';
import { firstLine, formatTable } from './table.js';

/** What a list command shows: the result objects as the server sent them, by kind. */
export type ListKind = 'tools' | 'resources' | 'templates' | 'prompts';

interface Styles {
  bold(text: string): string;
  dim(text: string): string;
}

type Item = Record<string, unknown>;

const columns: Record<ListKind, { title: string; header: string[]; cells(item: Item): string[] }> = {
  tools: { title: 'Tools', header: ['NAME', 'REQUIRED', 'DESCRIPTION'], cells: (tool) => [String(tool.name), requiredOfTool(tool), firstLine(stringOf(tool.description))] },
  resources: { title: 'Resources', header: ['URI', 'NAME', 'TYPE', 'DESCRIPTION'], cells: (resource) => [String(resource.uri), stringOf(resource.name), stringOf(resource.mimeType), firstLine(stringOf(resource.description))] },
  templates: { title: 'Resource templates', header: ['URI TEMPLATE', 'NAME', 'DESCRIPTION'], cells: (template) => [String(template.uriTemplate), stringOf(template.name), firstLine(stringOf(template.description))] },
  prompts: { title: 'Prompts', header: ['NAME', 'REQUIRED', 'DESCRIPTION'], cells: (prompt) => [String(prompt.name), requiredOfPrompt(prompt), firstLine(stringOf(prompt.description))] },
};

/** The array a list result carries for its kind (`tools`, `resources`, `resourceTemplates`, `prompts`). */
export function itemsOf(kind: ListKind, result: RawResult): Item[] {
  const items = result[kind === 'templates' ? 'resourceTemplates' : kind];
  return Array.isArray(items) ? (items as Item[]) : [];
}

export function renderList(kind: ListKind, result: RawResult, options: { width?: number; heading: boolean; styles: Styles }): string {
  const { title, header, cells } = columns[kind];
  const items = itemsOf(kind, result);
  const heading = options.heading ? `${options.styles.bold(`${title} (${items.length})`)}\n` : '';
  if (items.length === 0) return `${heading}${options.styles.dim(`no ${title.toLowerCase()}`)}`;
  return heading + formatTable(header, items.map(cells), { width: options.width, style: options.styles.dim });
}

function requiredOfTool(tool: Item): string {
  const schema = tool.inputSchema as JsonSchema | undefined;
  return (schema?.required ?? []).map((key) => `${key}:${describeType(schema?.properties?.[key])}`).join(' ') || '-';
}

function requiredOfPrompt(prompt: Item): string {
  const args = Array.isArray(prompt.arguments) ? (prompt.arguments as Item[]) : [];
  return args.filter((arg) => arg.required === true).map((arg) => String(arg.name)).join(' ') || '-';
}

/**
 * A tool result for people: text as it is, structured content as indented JSON, images, audio and resources as
 * one summary line each (their bytes belong in --json).
 */
export function renderContent(result: RawResult): string {
  const blocks = Array.isArray(result.content) ? (result.content as Item[]) : [];
  const parts = blocks.map(renderBlock);
  const structured = result.structuredContent;
  if (structured !== undefined) {
    const json = JSON.stringify(structured, null, 2);
    // Servers often repeat structured content as a text block: show it once.
    if (!blocks.some((block) => block.type === 'text' && typeof block.text === 'string' && holdsJson(block.text, structured))) parts.push(json);
  }
  return parts.join('\n');
}

function renderBlock(block: Item): string {
  switch (block.type) {
    case 'text':
      return stringOf(block.text);
    case 'image':
    case 'audio':
      return `[${block.type} ${stringOf(block.mimeType)}, ${formatBytes(base64Bytes(block.data))}]`;
    case 'resource_link':
      return `[resource link ${stringOf(block.uri)}${block.name ? ` (${stringOf(block.name)})` : ''}]`;
    case 'resource':
      return renderResourceContents(block.resource as Item);
    default:
      return `[${String(block.type)} content]`;
  }
}

/** One entry of `resources/read` contents, or an embedded resource. */
export function renderResourceContents(contents: Item | undefined): string {
  if (!contents) return '[resource]';
  if (typeof contents.text === 'string') return contents.text;
  const type = contents.mimeType ? `${stringOf(contents.mimeType)}, ` : '';
  return `[resource ${stringOf(contents.uri)}: ${type}${formatBytes(base64Bytes(contents.blob))}]`;
}

/** `prompts/get`: each message as "role: text". */
export function renderPrompt(result: RawResult): string {
  const messages = Array.isArray(result.messages) ? (result.messages as Item[]) : [];
  const lines = messages.map((message) => `${stringOf(message.role)}: ${renderBlock((message.content ?? {}) as Item)}`);
  return typeof result.description === 'string' ? [result.description, ...lines].join('\n') : lines.join('\n');
}

function holdsJson(text: string, value: unknown): boolean {
  try {
    return sameJson(JSON.parse(text), value);
  } catch {
    return false;
  }
}

function base64Bytes(data: unknown): number {
  if (typeof data !== 'string') return 0;
  const padding = data.endsWith('==') ? 2 : data.endsWith('=') ? 1 : 0;
  return Math.floor((data.length * 3) / 4) - padding;
}

function formatBytes(bytes: number): string {
  return bytes < 1024 ? `${bytes} B` : bytes < 1024 ** 2 ? `${(bytes / 1024).toFixed(1)} KB` : `${(bytes / 1024 ** 2).toFixed(1)} MB`;
}

function stringOf(value: unknown): string {
  return typeof value === 'string' ? value : value === undefined || value === null ? '' : String(value);
}
