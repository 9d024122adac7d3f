/** Where serve's diagnostics go: always stderr (stdout carries the protocol on stdio), as text or JSON lines. */
export type LogFormat = 'text' | 'json';
export type LogLevel = 'debug' | 'info' | 'warn' | 'error';
export type LogFields = Record<string, unknown>;

export interface Logger {
  readonly format: LogFormat;
  log(level: LogLevel, message: string, fields?: LogFields): void;
  debug(message: string, fields?: LogFields): void;
  info(message: string, fields?: LogFields): void;
  warn(message: string, fields?: LogFields): void;
  error(message: string, fields?: LogFields): void;
}

export interface LoggerOptions {
  format?: LogFormat;
  verbose?: boolean;
  write?: (line: string) => void;
}

export function createLogger(options: LoggerOptions = {}): Logger {
  const format = options.format ?? 'text';
  const write = options.write ?? ((line: string) => process.stderr.write(line));
  const verbose = options.verbose ?? false;
  return loggerOf(format, (level, message, fields) => {
    if (level === 'debug' && !verbose) return;
    write(format === 'json' ? jsonLine(level, message, fields) : textLine(level, message, fields));
  });
}

/** A logger that hands every line, unformatted, to `relay` (a worker thread's, which the main thread's logger prints). */
export function relayLogger(relay: Logger['log']): Logger {
  return loggerOf('text', relay);
}

function loggerOf(format: LogFormat, log: Logger['log']): Logger {
  return {
    format,
    log,
    debug: (message, fields) => log('debug', message, fields),
    info: (message, fields) => log('info', message, fields),
    warn: (message, fields) => log('warn', message, fields),
    error: (message, fields) => log('error', message, fields),
  };
}

function jsonLine(level: LogLevel, message: string, fields: LogFields | undefined): string {
  return `${escapeControls(JSON.stringify({ time: new Date().toISOString(), level, msg: message, ...fields }))}\n`;
}

function textLine(level: LogLevel, message: string, fields: LogFields | undefined): string {
  const prefix = level === 'info' ? 'mcpctl' : `mcpctl ${level}`;
  let line = `${prefix}: ${message}`;
  if (fields) {
    for (const [key, value] of Object.entries(fields)) {
      if (value === undefined) continue;
      line += ` ${key}=${typeof value === 'string' && !/[\s\p{Cc}]/u.test(value) ? value : JSON.stringify(value)}`;
    }
  }
  return `${escapeControls(line)}\n`;
}

/**
 * Control characters (C0, DEL, C1) and Unicode line and paragraph separators, which a client can put in a method
 * or a tool name: raw, they would start a forged log line or send escape sequences to the operator's terminal.
 */
const controls = /[\p{Cc}\u2028\u2029]/gu;
const shortEscapes: Readonly<Record<string, string>> = { '\n': '\\n', '\r': '\\r', '\t': '\\t' };

/** Writes them as JSON escapes (`\n`, `\u001b`): the line stays one line, and still valid JSON when it is JSON. */
function escapeControls(line: string): string {
  return line.replace(controls, (char) => shortEscapes[char] ?? `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`);
}
