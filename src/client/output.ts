/** Writes a line and resolves once it is handed to the OS, so an exit right after loses nothing. */
export function writeLine(stream: NodeJS.WritableStream, text: string): Promise<void> {
  return new Promise((resolve, reject) => stream.write(text.endsWith('\n') ? text : `${text}\n`, (error) => (error ? reject(error) : resolve())));
}

/** writeLine to stdout. */
export function print(text: string): Promise<void> {
  return writeLine(process.stdout, text);
}

/** JSON for machines: the value as it is, indented for the people who read it too. */
export function printJson(value: unknown): Promise<void> {
  return print(JSON.stringify(value, null, 2));
}

/** The terminal's width when stdout is one; undefined for pipes and files, which get whole lines. */
export function terminalWidth(): number | undefined {
  return process.stdout.isTTY ? process.stdout.columns : undefined;
}
