import type { Feature, GatewayState, Route } from '../gateway/index.js';

/** The load balancer's and the orchestrator's view: alive, and ready to take a new session. */
const routes = new Map<string, Route>([
  ['/healthz', (state) => ({ status: 200, body: { status: state.stopping ? 'stopping' : 'ok', ...counts(state) } })],
  ['/readyz', (state) => {
    const status = state.stopping ? 'stopping' : state.saturated ? 'saturated' : 'ready';
    return { status: status === 'ready' ? 200 : 503, body: { status, ...counts(state) } };
  }],
]);

/**
 * `GET /healthz` (the process answers) and `GET /readyz` (503 while the session pool is saturated or the server
 * is draining): a feature with routes and nothing else, always on over HTTP.
 */
export function createHealth(): Feature {
  return { description: 'health: /healthz, /readyz', position: 0, routes };
}

function counts(state: GatewayState): { sessions: number; maxSessions: number } {
  return { sessions: state.sessions, maxSessions: state.maxSessions };
}
