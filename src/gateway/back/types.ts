import type { Caller, JSONRPCMessage, RequestId, SessionInfo } from '../types.js';

/** One session's line to the server: an in-process server instance, or a child process. */
export interface BackConnection {
  /** Passes a message to the server. Requests it cannot deliver are answered with an error through `onmessage`. */
  send(message: JSONRPCMessage, caller?: Caller): void;
  /** Messages from the server, with the client request they belong to when the server says so. */
  onmessage: ((message: JSONRPCMessage, relatedRequestId: RequestId | undefined) => void) | undefined;
  /**
   * The server lost what it knew of requests in flight (the child exited): every request still waiting must be
   * answered with an error now. `final` is true when the connection will not come back.
   */
  onreset: ((reason: string, final: boolean) => void) | undefined;
  close(): Promise<void>;
}

/** What answers the requests: a factory of per-session connections. */
export interface Back {
  readonly kind: 'module' | 'command';
  /** A short description for the start-up line, e.g. "module dist/server.js". */
  readonly description: string;
  /** Checks at start that the server can run at all, so a broken one fails `serve` with a clear line. */
  probe(): Promise<void>;
  connect(session: SessionInfo): Promise<BackConnection>;
  close(): Promise<void>;
}
