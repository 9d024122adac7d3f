import type { Ctx, Middleware, Next } from './types.js';

/** A composed chain: runs every middleware around `last`, the step that actually delivers the message. */
export type Chain = (ctx: Ctx, last: (ctx: Ctx) => Promise<void>) => Promise<void>;

/**
 * Joins middlewares into one chain, Koa/Hono style: each runs until `await next()`, the rest of the chain (ending
 * in `last`) runs, then control unwinds back through them in reverse order. Composed once at start; `last` is
 * given per message because it depends on the session the message belongs to.
 */
export function compose(middlewares: readonly Middleware[]): Chain {
  return (ctx, last) => {
    let called = -1;
    const dispatch = (index: number): Promise<void> => {
      if (index <= called) return Promise.reject(new Error('a middleware called next() twice'));
      called = index;
      const middleware = middlewares[index];
      if (middleware === undefined) return last(ctx);
      const next: Next = () => dispatch(index + 1);
      try {
        return middleware(ctx, next);
      } catch (error) {
        return Promise.reject(error);
      }
    };
    return dispatch(0);
  };
}
