import { createWriteStream, type WriteStream } from 'node:fs';
import { resolve } from 'node:path';
import { UserError } from '../errors.js';
import { ChainPosition, type Feature, type FeatureEnvironment, type JSONRPCRequest } from '../gateway/index.js';
import { redactor } from '../redaction.js';
import { formatEntry, roundMs, type CallEntry } from './entry.js';

export type RecorderEnvironment = Pick<FeatureEnvironment, 'logger' | 'redact'> & Partial<Pick<FeatureEnvironment, 'cwd'>>;

/**
 * `serve --record calls.jsonl`: appends every client request that reached the server and its answer, one JSON
 * object per line (see CallEntry), for `mcpctl replay`. It sits after auth in the chain, so it never sees a token;
 * the caller is recorded by name (`sub`) only, params lose their `_meta` (progress tokens, trace context), and
 * secrets in params and answers are masked as on spans. A new file is made readable by its owner only.
 */
export async function createRecorder(file: string, environment: RecorderEnvironment): Promise<Feature> {
  const path = resolve(environment.cwd ?? process.cwd(), file);
  const redact = redactor(environment.redact);
  const stream = await openAppend(path, file);
  let broken = false;
  stream.on('error', (error: NodeJS.ErrnoException) => {
    // A full disk must not stop the server: recording stops, serving goes on.
    if (!broken) environment.logger.error(`recording to ${file} stopped`, { error: error.code ?? error.message });
    broken = true;
  });
  return {
    description: `recording to ${file}`,
    position: ChainPosition.record,
    middleware: async (ctx, next) => {
      if (ctx.direction !== 'in' || !('id' in ctx.message)) return next();
      const ts = new Date().toISOString();
      const started = performance.now();
      await next();
      const response = ctx.response;
      if (response === undefined || broken) return;
      const entry: CallEntry = {
        method: ctx.message.method,
        params: redact(withoutMeta((ctx.message as JSONRPCRequest).params)),
        ...('error' in response ? { error: redact(response.error) } : { result: redact(response.result) }),
        durationMs: roundMs(performance.now() - started),
        caller: ctx.caller.sub,
        ts,
      };
      stream.write(`${formatEntry(entry)}\n`);
    },
    close: () => new Promise<void>((done) => stream.end(done)),
  };
}

function openAppend(path: string, file: string): Promise<WriteStream> {
  return new Promise((done, fail) => {
    // 0600 applies when the file is created; an existing file keeps the mode its owner gave it.
    const stream = createWriteStream(path, { flags: 'a', mode: 0o600 });
    stream.once('open', () => done(stream));
    stream.once('error', (error: NodeJS.ErrnoException) => fail(new UserError(`cannot write the record file ${file}: ${error.code ?? error.message}`)));
  });
}

function withoutMeta(params: JSONRPCRequest['params']): Record<string, unknown> | undefined {
  if (params === undefined) return undefined;
  const { _meta, ...rest } = params;
  return rest;
}
