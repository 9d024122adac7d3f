import { onLines } from '../back/line-reader.js';
import type { Back } from '../back/types.js';
import type { Chain } from '../compose.js';
import { ErrorCode, checkMessage, errorResponse } from '../jsonrpc.js';
import { GatewaySession } from '../session.js';
import { settleWithin } from '../settle-within.js';
import type { Caller, JSONRPCMessage } from '../types.js';

export interface StdioFrontOptions {
  back: Back;
  chain: Chain;
  caller: Caller;
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
    const { back, chain, caller } = this.options;
    const input = this.options.input ?? process.stdin;
    const output = this.options.output ?? process.stdout;
    const write = (message: JSONRPCMessage): void => {
      output.write(`${JSON.stringify(message)}\n`);
    };
    const session = new GatewaySession({
      info: { id: 'stdio', front: 'stdio' },
      caller,
      back: await back.connect({ id: 'stdio', front: 'stdio' }),
      chain,
      sink: {
        deliver: (message) => {
          write(message);
          return true;
        },
      },
    });
    this.session = session;
    await new Promise<void>((resolve) => {
      onLines(input, (line) => {
        let value: unknown;
        try {
          value = JSON.parse(line);
        } catch {
          write(errorResponse(null, ErrorCode.parseError, 'Parse error: the line is not valid JSON'));
          return;
        }
        const problem = checkMessage(value);
        if (problem !== undefined) {
          const id = (value as { id?: unknown } | null)?.id;
          write(errorResponse(typeof id === 'string' || typeof id === 'number' ? id : null, ErrorCode.invalidRequest, `Invalid request: ${problem}`));
          return;
        }
        const handled = session.fromClient(value as JSONRPCMessage, session.caller).then(
          (ctx) => {
            if (ctx?.response) write(ctx.response);
          },
          (error: unknown) => {
            const id = (value as { id?: string | number }).id;
            if (id !== undefined) write(errorResponse(id, ErrorCode.internalError, `gateway error: ${(error as Error).message}`));
          },
        );
        this.inFlight.add(handled);
        void handled.finally(() => this.inFlight.delete(handled));
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
