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

/** What a back can do, so that the assembly and the fronts need not know what kind of back it is. */
export interface BackCapabilities {
  /** Sessions to allow when --max-sessions is not given: what one session costs (a server instance, a process). */
  readonly defaultMaxSessions: number;
  /**
   * One connection can serve many sessions at once (its request ids remapped by the Multiplexer): stateless HTTP
   * then shares one. Otherwise each stateless request gets a connection of its own.
   */
  readonly sharedConnection: boolean;
}

/** What answers the requests: a factory of per-session connections. */
export interface Back {
  readonly capabilities: BackCapabilities;
  /** A short description for the start-up line, e.g. "module dist/server.js". */
  readonly description: string;
  /** Checks at start that the server can run at all, so a broken one fails `serve` with a clear line. */
  probe(): Promise<void>;
  connect(session: SessionInfo): Promise<BackConnection>;
  close(): Promise<void>;
}
