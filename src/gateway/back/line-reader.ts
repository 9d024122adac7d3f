/** Splits a byte stream into lines (newline-delimited JSON-RPC, as MCP's stdio transport frames it). */
export function onLines(stream: NodeJS.ReadableStream, onLine: (line: string) => void): void {
  let buffered = '';
  stream.setEncoding('utf8');
  stream.on('data', (chunk: string) => {
    buffered += chunk;
    let newline = buffered.indexOf('\n');
    if (newline === -1) return;
    let start = 0;
    while (newline !== -1) {
      const line = buffered.slice(start, newline);
      start = newline + 1;
      if (line.trim() !== '') onLine(line.endsWith('\r') ? line.slice(0, -1) : line);
      newline = buffered.indexOf('\n', start);
    }
    buffered = buffered.slice(start);
  });
}
