import type { Logger } from '../../log.js';
import { targetOf } from '../jsonrpc.js';
import type { Ctx, Middleware } from '../types.js';

/** ctx.state key under which the tracing middleware leaves the trace id, so log lines can carry it. */
export const traceIdKey = 'traceId';

export interface LogOptions {
  logger: Logger;
  /** Also log notifications (progress, list_changed…): noisy, for --verbose. */
  notifications?: boolean;
}

/** One line per request, in both directions, when its answer is known: method, target, caller, time, outcome. */
export function log(options: LogOptions): Middleware {
  const { logger } = options;
  return async (ctx, next) => {
    const isRequest = 'id' in ctx.message;
    if (!isRequest && !options.notifications) return next();
    try {
      await next();
    } finally {
      logger.log(levelOf(ctx), ctx.message.method, fieldsOf(ctx));
    }
  };
}

function outcomeOf(ctx: Ctx): string {
  if (!('id' in ctx.message)) return 'sent';
  const response = ctx.response;
  if (response === undefined) return 'cancelled';
  if ('error' in response) return ctx.refused ? `refused ${ctx.http?.status ?? response.error.code}` : `error ${response.error.code}`;
  return (response.result as { isError?: boolean } | undefined)?.isError === true ? 'tool-error' : 'ok';
}

function levelOf(ctx: Ctx): 'info' | 'warn' {
  return ctx.response !== undefined && 'error' in ctx.response ? 'warn' : 'info';
}

function fieldsOf(ctx: Ctx): Record<string, unknown> {
  const response = ctx.response;
  return {
    dir: ctx.direction,
    target: targetOf(ctx.message),
    caller: ctx.caller.sub,
    session: ctx.session.id,
    ms: Math.round((performance.now() - ctx.receivedAt) * 100) / 100,
    outcome: outcomeOf(ctx),
    error: response !== undefined && 'error' in response ? response.error.message : undefined,
    trace: ctx.state.get(traceIdKey),
  };
}
