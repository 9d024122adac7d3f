import type { Logger } from '../../log.js';
import type { HttpSession } from './http-session.js';

export interface SessionPoolLimits {
  /** Most sessions in all. */
  readonly maxSessions: number;
  /** Most sessions one caller (a token's `sub`, or an address with auth off) may hold. */
  readonly maxPerCaller: number;
  /** A session with no request for this long is closed. */
  readonly idleMs: number;
}

/** Why a new session cannot be had: the HTTP status and the words to send. */
export interface PoolRefusal {
  readonly status: 429 | 503;
  readonly message: string;
}

/**
 * The HTTP front's sessions, bounded in all and per caller, so that no caller can lock the others out. A new
 * session is refused only when no session can make room for it: at a caller's own cap, that caller's
 * longest-idle session is closed; when the pool is full, the longest-idle session of the caller holding the
 * most. A session with a request in flight is never closed to make room.
 */
export class SessionPool {
  private readonly sessions = new Map<string, HttpSession>();
  private readonly byCaller = new Map<string, Set<HttpSession>>();

  constructor(
    private readonly limits: SessionPoolLimits,
    private readonly logger: Logger,
  ) {}

  get size(): number {
    return this.sessions.size;
  }

  get(id: string): HttpSession | undefined {
    return this.sessions.get(id);
  }

  values(): IterableIterator<HttpSession> {
    return this.sessions.values();
  }

  /** True when the pool is full and no session in it could be closed to let another in. */
  get saturated(): boolean {
    return this.sessions.size >= this.limits.maxSessions && this.fullPoolVictim() === undefined;
  }

  /** Makes room for one more session of `caller`, closing an idle one if it must; or says why it cannot. */
  admit(caller: string): PoolRefusal | undefined {
    const own = this.byCaller.get(caller);
    if (own !== undefined && own.size >= this.limits.maxPerCaller) {
      const victim = longestIdle(own);
      if (victim === undefined) {
        return this.refuse(429, `caller ${caller} already has ${own.size} sessions with requests in flight (--max-sessions-per-caller ${this.limits.maxPerCaller}); end one (DELETE) or wait for its calls`, caller);
      }
      this.evict(victim, `caller ${caller} reached --max-sessions-per-caller ${this.limits.maxPerCaller}`);
      return undefined;
    }
    if (this.sessions.size < this.limits.maxSessions) return undefined;
    const victim = this.fullPoolVictim();
    if (victim === undefined) {
      return this.refuse(503, `all ${this.limits.maxSessions} sessions have requests in flight (--max-sessions); retry shortly`, caller);
    }
    this.evict(victim, `the pool is full (--max-sessions ${this.limits.maxSessions})`);
    return undefined;
  }

  add(session: HttpSession): void {
    this.sessions.set(session.id, session);
    let own = this.byCaller.get(session.owner);
    if (own === undefined) this.byCaller.set(session.owner, (own = new Set()));
    own.add(session);
  }

  /** Forgets a session (ended by its client, its back, or the pool); closing it is the caller's business. */
  delete(session: HttpSession): void {
    if (this.sessions.get(session.id) !== session) return;
    this.sessions.delete(session.id);
    const own = this.byCaller.get(session.owner);
    own?.delete(session);
    if (own?.size === 0) this.byCaller.delete(session.owner);
  }

  /** Closes the sessions idle for longer than the limit. */
  reapIdle(now = Date.now()): void {
    const cutoff = now - this.limits.idleMs;
    for (const session of [...this.sessions.values()]) {
      if (session.lastSeen < cutoff && session.idle && !session.listening) this.close(session, 'the session was idle too long');
    }
  }

  /** Ends every session (shutdown). */
  async closeAll(reason: string): Promise<void> {
    const all = [...this.sessions.values()];
    this.sessions.clear();
    this.byCaller.clear();
    await Promise.allSettled(all.map((session) => session.close(reason)));
  }

  private fullPoolVictim(): HttpSession | undefined {
    const callers = [...this.byCaller.values()].sort((a, b) => b.size - a.size);
    for (const own of callers) {
      const victim = longestIdle(own);
      if (victim !== undefined) return victim;
    }
    return undefined;
  }

  private evict(session: HttpSession, why: string): void {
    const idleFor = Math.round((Date.now() - session.lastSeen) / 1000);
    this.logger.warn(`closed session ${session.id} of ${session.owner} (idle ${idleFor}s) to make room: ${why}`);
    this.close(session, `the session was closed to make room for another (${why})`);
  }

  private close(session: HttpSession, reason: string): void {
    this.delete(session);
    void session.close(reason);
  }

  private refuse(status: 429 | 503, message: string, caller: string): PoolRefusal {
    this.logger.warn(`refused a new session (HTTP ${status}): ${message}`, { caller });
    return { status, message };
  }
}

function longestIdle(sessions: Iterable<HttpSession>): HttpSession | undefined {
  let victim: HttpSession | undefined;
  for (const session of sessions) {
    if (session.idle && (victim === undefined || session.lastSeen < victim.lastSeen)) victim = session;
  }
  return victim;
}
