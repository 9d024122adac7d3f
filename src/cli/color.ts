import { styleText } from 'node:util';
import type { WriteStream } from 'node:tty';

type Style = 'bold' | 'dim' | 'red' | 'green' | 'yellow';
export type Styles = Record<Style, (text: string) => string>;

/**
 * Whether to colour what goes to `stream`, decided once per stream as chalk did: never with NO_COLOR
 * (https://no-color.org, which chalk ignored) or FORCE_COLOR=0/false; always with any other FORCE_COLOR; else only
 * on a terminal that has colours (Node's own check: TERM=dumb, CI, COLORTERM…).
 */
export function colorsFor(stream: NodeJS.WriteStream, env: NodeJS.ProcessEnv = process.env): boolean {
  if ((env.NO_COLOR ?? '') !== '') return false;
  const forced = forceColor(env.FORCE_COLOR);
  if (forced !== undefined) return forced;
  // Azure Pipelines colours its logs without a terminal.
  if ('TF_BUILD' in env && 'AGENT_NAME' in env) return true;
  if (!stream.isTTY) return false;
  const { NO_COLOR: _, FORCE_COLOR: __, ...rest } = env;
  return (stream as WriteStream).hasColors?.(rest) ?? false;
}

/** FORCE_COLOR as chalk reads it: "", "true" or a level above 0 force colours on, "false" or 0 off. */
function forceColor(value: string | undefined): boolean | undefined {
  if (value === undefined) return undefined;
  if (value === '' || value === 'true') return true;
  if (value === 'false') return false;
  const level = Number.parseInt(value, 10);
  return Number.isNaN(level) ? undefined : level > 0;
}

/**
 * The styles, or plain text. As chalk wrote them: an empty string stays empty, and each line of a longer text is
 * styled on its own, so that viewers that reset styles at a line end (CI logs, pagers) still show every line.
 */
export function stylesFor(on: boolean): Styles {
  const style = (format: Style) => (text: string) => {
    if (!on || text === '') return text;
    // validateStream off: whether to colour is decided here, per stream (styleText would look at stdout).
    return text
      .split(/(\r?\n)/)
      .map((part, index) => (index % 2 === 1 ? part : styleText(format, part, { validateStream: false })))
      .join('');
  };
  return { bold: style('bold'), dim: style('dim'), red: style('red'), green: style('green'), yellow: style('yellow') };
}

/** Styles for text written to stdout: plain when NO_COLOR is set or stdout is not a terminal. */
export const color = stylesFor(colorsFor(process.stdout));

/** Styles for text written to stderr, which can be a terminal when stdout is piped. */
export const errorColor = stylesFor(colorsFor(process.stderr));
