import { ErrorCode, refuse, targetOf, type Ctx, type Middleware } from '../gateway/index.js';
import type { Logger } from '../log.js';
import type { Limiter, Refusal } from './limiter.js';

export interface RateLimitOptions {
  limiter: Limiter;
  logger: Logger;
}

/**
 * The calls that spend budget: those that make the server work, and initialize, which makes a session (on a
 * command back, a process). ping and the list calls are free.
 */
function spends(method: string): boolean {
  return method === 'tools/call' || method === 'resources/read' || method === 'prompts/get' || method === 'initialize';
}

/**
 * Refuses calls over the caller's budget, before they reach the server: a JSON-RPC error with code 429 and
 * `data: { retryAfterSeconds, limit, scope }`, and for the HTTP front status 429 with Retry-After and the IETF
 * draft RateLimit-Policy / RateLimit headers. Every refusal is logged with caller and tool.
 */
export function rateLimit(options: RateLimitOptions): Middleware {
  const { limiter, logger } = options;
  const refuseOver = (ctx: Ctx, refusal: Refusal, target: string | undefined): Promise<void> => {
    answerRefusal(ctx, refusal, target);
    logger.warn('rate limited', { caller: ctx.caller.sub, tool: target, scope: refusal.scope, limit: 'budget' in refusal ? refusal.budget.label : undefined, retryAfterMs: Math.ceil(refusal.retryAfterMs) });
    return Promise.resolve();
  };
  // Not an async function: an admitted call costs no promise of its own, only the checks.
  return (ctx, next) => {
    if (ctx.direction !== 'in' || !spends(ctx.message.method)) return next();
    const target = targetOf(ctx.message);
    const refusal = limiter.take(ctx.caller.sub, target);
    if (refusal === undefined) return next();
    if (refusal instanceof Promise) return refusal.then((late) => (late === undefined ? next() : refuseOver(ctx, late, target)));
    return refuseOver(ctx, refusal, target);
  };
}

function answerRefusal(ctx: Ctx, refusal: Refusal, target: string | undefined): void {
  const retryAfterSeconds = Math.ceil(refusal.retryAfterMs) / 1000;
  const retryAfter = String(Math.max(1, Math.ceil(retryAfterSeconds)));
  if (refusal.scope === 'store') {
    refuse(ctx, ErrorCode.storeUnavailable, 'rate limits cannot be checked: the shared rate-limit store is unreachable and the server refuses calls until it is back (--on-store-error closed); retry shortly', { retryAfterSeconds, scope: 'store' }, { status: 503, headers: { 'retry-after': retryAfter } });
    return;
  }
  const { scope, budget } = refusal;
  const over = scope === 'tool' ? `"${target}" allows ${budget.label} per caller` : `${budget.label} per caller`;
  refuse(ctx, ErrorCode.rateLimited, `rate limit exceeded: ${over}; retry after ${retryAfterSeconds}s`, { retryAfterSeconds, limit: budget.label, scope }, {
    status: 429,
    headers: {
      'retry-after': retryAfter,
      'ratelimit-policy': `"${scope}";${budget.quota}`,
      ratelimit: `"${scope}";r=0;t=${retryAfter}`,
    },
  });
}
