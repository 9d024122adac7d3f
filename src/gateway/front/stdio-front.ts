import type { Logger } from '../../log.js';
import { onLines } from '../../shared/line-reader.js';
import type { Back } from '../back/types.js';
import { encodeMessage, type MessageLimits } from '../bounds.js';
import type { Chain } from '../compose.js';
import { ErrorCode, answerableId, checkMessage, errorInPlaceOf, errorResponse, idInMessageEnds } from '../jsonrpc.js';
import { GatewaySession } from '../session.js';
import { settleWithin } from '../../settle-within.js';
import type { Caller, JSONRPCMessage } from '../types.js';

export interface StdioFrontOptions {
  back: Back;
  chain: Chain;
  caller: Caller;
  logger: Logger;
  limits: MessageLimits;
  input?: NodeJS.ReadableStream;
  output?: NodeJS.WritableStream;
}

/**
 * The stdio front: one session, newline-delimited JSON-RPC on stdin/stdout. Resolves when the client closes
 * stdin. Nothing but protocol messages is ever written to `output`.
 */
export class StdioFront {
  private session: GatewaySession | undefined;
  private readonly inFlight = new Set<Promise<unknown>>();

  constructor(private readonly options: StdioFrontOptions) {}

  async run(): Promise<void> {
    const { back, chain, caller, logger, limits } = this.options;
    const input = this.options.input ?? process.stdin;
    const output = this.options.output ?? process.stdout;
    const write = (message: JSONRPCMessage): void => {
      const line = encodeMessage(message);
      if (line !== undefined) output.write(`${line}\n`);
    };
    const session = new GatewaySession({
      info: { id: 'stdio', front: 'stdio' },
      caller,
      back: await back.connect({ id: 'stdio', front: 'stdio' }),
      chain,
      logger,
      requestTimeoutMs: limits.requestTimeoutMs,
      sink: {
        deliver: (message) => {
          write(message);
          return true;
        },
      },
    });
    this.session = session;
    const onLine = (line: string): void => {
      let value: unknown;
      try {
        value = JSON.parse(line);
      } catch {
        write(errorResponse(null, ErrorCode.parseError, 'Parse error: the line is not valid JSON'));
        return;
      }
      const problem = checkMessage(value);
      const answer = problem === undefined ? undefined : errorInPlaceOf(value, problem, 'client');
      if (problem !== undefined && answer === undefined) {
        write(errorResponse(answerableId(value), ErrorCode.invalidRequest, `Invalid request: ${problem}`));
        return;
      }
      const message = answer ?? (value as JSONRPCMessage);
      const handled = session.fromClient(message, session.caller).then(
        (ctx) => {
          if (ctx?.response) write(ctx.response);
        },
        (error: unknown) => {
          if ('id' in message) write(errorResponse(message.id ?? null, ErrorCode.internalError, `gateway error: ${(error as Error).message}`));
        },
      );
      this.inFlight.add(handled);
      void handled.finally(() => this.inFlight.delete(handled));
    };
    await new Promise<void>((resolve) => {
      onLines(input, limits.maxMessageBytes, {
        onLine,
        onOversized: (size, head, tail) => {
          logger.warn(`refused a ${size}-byte message from the client, over the ${limits.maxMessageBytes}-byte limit (--max-message)`);
          write(errorResponse(idInMessageEnds(head, tail) ?? null, ErrorCode.invalidRequest, `Invalid request: the message is ${size} bytes, over the ${limits.maxMessageBytes}-byte limit (--max-message)`));
        },
      });
      input.on('end', resolve);
      input.on('close', resolve);
    });
  }

  /** Lets requests in flight finish (up to `graceMs`), then closes the session. */
  async stop(graceMs: number): Promise<void> {
    await settleWithin([...this.inFlight], graceMs);
    await this.session?.close('the server is shutting down');
  }
}
