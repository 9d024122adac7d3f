/** Splits a byte stream into lines (newline-delimited JSON-RPC, as MCP's stdio transport frames it), bounded. */

/** How much of an oversized line is kept at each end, to say which message it was. */
const keptEnds = 256;

export interface LineReader {
  /** Each complete line, without its newline (and a trailing CR); blank lines are skipped. */
  onLine(line: string): void;
  /**
   * A line longer than `maxBytes`: it is skipped as it streams past, never held whole. `head` and `tail` are its
   * first and last bytes, enough to find a JSON-RPC id in.
   */
  onOversized?(size: number, head: string, tail: string): void;
}

/**
 * Reads `stream` line by line. Memory stays within `maxBytes` plus one chunk whatever the peer sends, and each
 * chunk is searched once for newlines, so a long line costs linear time, not quadratic. A last line the stream
 * ends without a newline is dropped (a JSON-RPC message ends with one) unless `unterminated` says to pass it on
 * (stderr, where a dying process's last words may lack one).
 */
export function onLines(stream: NodeJS.ReadableStream, maxBytes: number, reader: LineReader, options: { unterminated?: boolean } = {}): void {
  let parts: Buffer[] = [];
  let size = 0;
  let head: Buffer | undefined;
  let tail: Buffer = Buffer.alloc(0);

  const take = (piece: Buffer): void => {
    size += piece.length;
    if (head !== undefined) {
      tail = lastBytes(Buffer.concat([tail, piece.length > keptEnds ? piece.subarray(-keptEnds) : piece]));
      return;
    }
    if (size <= maxBytes) {
      if (piece.length > 0) parts.push(piece);
      return;
    }
    const sofar = Buffer.concat([...parts, piece]);
    head = Buffer.from(sofar.subarray(0, keptEnds));
    tail = lastBytes(sofar);
    parts = [];
  };
  const endLine = (): void => {
    if (head !== undefined) {
      reader.onOversized?.(size, head.toString('utf8'), tail.toString('utf8'));
    } else if (parts.length > 0) {
      let line = (parts.length === 1 ? parts[0]! : Buffer.concat(parts)).toString('utf8');
      if (line.endsWith('\r')) line = line.slice(0, -1);
      if (line.trim() !== '') reader.onLine(line);
    }
    parts = [];
    size = 0;
    head = undefined;
    tail = Buffer.alloc(0) as Buffer;
  };
  if (options.unterminated) stream.on('end', endLine);
  stream.on('data', (data: Buffer | string) => {
    const chunk = typeof data === 'string' ? Buffer.from(data, 'utf8') : data;
    let start = 0;
    while (start <= chunk.length) {
      const newline = chunk.indexOf(0x0a, start);
      if (newline === -1) {
        if (start < chunk.length) take(chunk.subarray(start));
        return;
      }
      take(chunk.subarray(start, newline));
      endLine();
      start = newline + 1;
    }
  });
}

function lastBytes(buffer: Buffer): Buffer {
  return buffer.length > keptEnds ? Buffer.from(buffer.subarray(-keptEnds)) : buffer;
}
