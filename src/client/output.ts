/** Writes to stdout and resolves once the text is handed to the OS, so an exit right after loses nothing. */
export function print(text: string): Promise<void> {
  return new Promise((resolve, reject) => process.stdout.write(text.endsWith('\n') ? text : `${text}\n`, (error) => (error ? reject(error) : resolve())));
}

/** JSON for machines: the value as it is, indented for the people who read it too. */
export function printJson(value: unknown): Promise<void> {
  return print(JSON.stringify(value, null, 2));
}

/** The terminal's width when stdout is one; undefined for pipes and files, which get whole lines. */
export function terminalWidth(): number | undefined {
  return process.stdout.isTTY ? process.stdout.columns : undefined;
}
