import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { UserError } from '../errors.js';
import type { Chain } from '../gateway/compose.js';
import type { Feature } from '../gateway/index.js';
import { ErrorCode } from '../gateway/jsonrpc.js';
import { errorAnswer, type Answer } from '../gateway/web/answer.js';
import { WebFront, type CoreRequest, type WebFrontOptions } from '../gateway/web/web-front.js';
import { settleWithin } from '../settle-within.js';
import { readBody } from './node-body.js';
import { NodeHeaders } from './node-headers.js';

export interface NodeHttpFrontOptions extends WebFrontOptions {
  port: number;
  /** A request's head and body must have arrived within this long. */
  bodyTimeoutMs: number;
}

/**
 * `serve`'s HTTP front on node:http: a thin adapter around the Web core (src/gateway/web/). It hands each request
 * over without building a Web Request (headers as Web Headers, the body read from the socket within --max-body),
 * writes each answer to the ServerResponse as it is, streams with backpressure, and owns what only a server has:
 * the port, the --body-timeout, closing a connection whose body was not read.
 */
export class NodeHttpFront {
  readonly closed: Promise<void>;
  private readonly core: WebFront;
  private readonly server: Server;
  private readonly inFlight = new Set<Promise<void>>();
  /** The scheme and authority of request URLs handed to the core (they carry the path as sent). */
  private origin: string;
  private resolveClosed!: () => void;

  constructor(private readonly options: NodeHttpFrontOptions) {
    this.core = new WebFront(options);
    this.origin = `http://${bracketed(options.host)}:${options.port}`;
    this.closed = new Promise((resolve) => (this.resolveClosed = resolve));
    // A slow client gets --body-timeout for its whole request (head and body), checked every second, not the
    // 300 s Node allows by default.
    const timeouts = { requestTimeout: options.bodyTimeoutMs, headersTimeout: options.bodyTimeoutMs, connectionsCheckingInterval: 1000 };
    this.server = createServer({ keepAliveTimeout: 60_000, ...timeouts }, (req, res) => {
      const handled = this.handle(req, res);
      this.inFlight.add(handled);
      void handled.finally(() => this.inFlight.delete(handled));
    });
  }

  /** Binds the port; resolves to the endpoint URL (the server's resource URL). */
  listen(): Promise<string> {
    return new Promise((resolve, reject) => {
      this.server.once('error', (error: NodeJS.ErrnoException) => {
        const where = `${this.options.host}:${this.options.port}`;
        if (error.code === 'EADDRINUSE') reject(new UserError(`port ${this.options.port} is in use on ${this.options.host}`, { hint: 'pick another with --port, or 0 for a free one' }));
        else if (error.code === 'EACCES') reject(new UserError(`no permission to listen on ${where}`, { hint: 'ports below 1024 need privileges: use --port 8080' }));
        else reject(new UserError(`cannot listen on ${where}: ${error.message}`));
      });
      this.server.listen(this.options.port, this.options.host, () => {
        const { port } = this.server.address() as AddressInfo;
        const host = bracketed(this.options.host);
        this.origin = `http://${host === '0.0.0.0' || host === '[::]' ? '127.0.0.1' : host}:${port}`;
        resolve(`${this.origin}${this.options.path}`);
      });
    });
  }

  /** Starts answering requests (those that arrived since listen() wait for this), with the features' hooks and routes. */
  start(chain: Chain, features: readonly Feature[]): void {
    this.core.start(chain, features);
  }

  /** Stops accepting, lets requests in flight finish within `graceMs`, then closes every session. */
  async stop(graceMs: number): Promise<void> {
    const deadline = performance.now() + graceMs;
    this.server.close();
    this.server.closeIdleConnections();
    await this.core.stop(graceMs);
    // The answers the core gave last are still being written.
    await settleWithin([...this.inFlight], Math.max(0, deadline - performance.now()));
    this.server.closeAllConnections();
    this.resolveClosed();
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const receivedAt = performance.now();
    try {
      const request = new NodeRequest(req, res, this.origin, this.options.maxBodyBytes);
      // Web Headers join a header sent twice into one value: the authenticator must still see two Authorizations.
      const info = { remoteAddress: req.socket.remoteAddress, receivedAt, authorizationHeaders: request.headers.count('authorization') };
      const writing = writeAnswer(req, res, await this.core.answer(request, info));
      if (writing) await writing;
    } catch (error) {
      this.options.logger.error(`request failed: ${(error as Error).message}`);
      if (!res.headersSent) void writeAnswer(req, res, errorAnswer(500, ErrorCode.internalError, 'internal gateway error'));
      else res.end();
    }
  }
}

/**
 * What the core reads of a request, straight from node:http: cheaper than a Web Request, whose body stream and
 * headers copy would cost the hot path more than the rest of this adapter.
 */
class NodeRequest implements CoreRequest {
  readonly method: string;
  readonly url: string;
  readonly headers: NodeHeaders;
  private aborter: AbortController | undefined;

  constructor(
    private readonly req: IncomingMessage,
    private readonly res: ServerResponse,
    origin: string,
    private readonly maxBodyBytes: number,
  ) {
    this.method = req.method ?? 'GET';
    const target = req.url ?? '/';
    this.url = target.startsWith('/') ? origin + target : `${origin}/${target}`;
    this.headers = new NodeHeaders(req);
  }

  text(): Promise<string> {
    return readBody(this.req, this.maxBodyBytes);
  }

  /** Made on first use (a POST's exchange asks), aborted when the connection closes before the answer is sent. */
  get signal(): AbortSignal {
    if (this.aborter === undefined) {
      const aborter = (this.aborter = new AbortController());
      if (this.res.destroyed || this.req.socket.destroyed) aborter.abort();
      else this.res.once('close', () => this.res.writableFinished || aborter.abort());
    }
    return this.aborter.signal;
  }
}

/** Writes the core's answer: a whole body at once, a stream as it comes. */
function writeAnswer(req: IncomingMessage, res: ServerResponse, answer: Answer): Promise<void> | void {
  closeIfUnread(req, res);
  res.writeHead(answer.status, answer.headers);
  const { body } = answer;
  if (typeof body !== 'object') return void res.end(body);
  res.flushHeaders();
  return pump(body, res);
}

/**
 * A request answered before its body was read (refused by auth, a guard, a limit) must not keep its connection:
 * a slow or endless body would hold it until the body timeout. The answer says so, and the socket closes after it.
 */
function closeIfUnread(req: IncomingMessage, res: ServerResponse): void {
  if (req.complete) return;
  res.setHeader('connection', 'close');
  res.once('finish', () => req.destroy());
}

/**
 * Streams a body (SSE) to the client, taking the next chunk only once the socket took the last: what the client
 * does not read stays in the stream's queue, where the core sees it and drops a stream left unread too long.
 */
async function pump(body: ReadableStream<Uint8Array>, res: ServerResponse): Promise<void> {
  const reader = body.getReader();
  const cancel = (): void => void reader.cancel().catch(() => {});
  // A client that drops the stream mid-write must not take the server down with an unhandled 'error'.
  res.on('error', () => {});
  res.once('close', cancel);
  try {
    for (;;) {
      const { value, done } = await reader.read();
      if (done || res.destroyed) break;
      if (!res.write(value)) await drained(res);
    }
    res.end();
  } catch {
    // The core dropped the stream: the connection goes with it.
    res.destroy();
  } finally {
    res.off('close', cancel);
  }
}

function drained(res: ServerResponse): Promise<void> {
  return new Promise((resolve) => {
    const done = (): void => {
      res.off('drain', done);
      res.off('close', done);
      resolve();
    };
    res.on('drain', done);
    res.on('close', done);
  });
}

function bracketed(host: string): string {
  return host.includes(':') ? `[${host}]` : host;
}
