/**
 * Plain-text columns for people: the last column is cut to the terminal's width (when there is a terminal),
 * the others are as wide as their longest cell. `style` colours the header after widths are measured.
 */
export function formatTable(header: readonly string[], rows: readonly (readonly string[])[], options: { width?: number; style?: (text: string) => string } = {}): string {
  const widths = header.map((title, column) => Math.max(title.length, ...rows.map((row) => (row[column] ?? '').length)));
  const line = (cells: readonly string[]): string => {
    const padded = cells.map((cell, column) => (column === cells.length - 1 ? cell : cell.padEnd(widths[column]!)));
    const text = padded.join('  ').trimEnd();
    return options.width !== undefined && text.length > options.width ? `${text.slice(0, Math.max(options.width - 1, 0))}…` : text;
  };
  const title = line(header);
  return [options.style ? options.style(title) : title, ...rows.map(line)].join('\n');
}

/** The first line of a description, for a table cell. */
export function firstLine(text: string | undefined): string {
  return (text ?? '').trim().split('\n')[0]!.trim();
}
