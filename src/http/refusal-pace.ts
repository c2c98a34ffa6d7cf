// Refusals paced per client address: a throttled login's 429, a full hash queue's 503, a body
// refused for its size or its nesting. A guesser or a poster of refused bodies that sends
// its next request as soon as it is answered would otherwise take the daemon's event loop (and
// the CPU it shares with the hash workers) for its refusals, however cheap each is: the token
// checks and the owner's login at another address would wait behind them. A few refusals per
// address are answered at once; past them, each waits its turn (the connection not read
// meanwhile, so a body still coming is held back by TCP), which holds such a client to a few
// answers a second and costs the daemon a timer.

import {addressKey} from './client-address.js';
import {BoundedMap} from '../bounded-map.js';

/** Refusals a second answered to one address once its burst is spent. */
export const REFUSALS_PER_SECOND = 10;
/** Refusals an address gets at once before its answers are paced. */
export const REFUSAL_BURST = 10;
/**
 * A refusal that would wait longer than this is not answered: its connection is closed. Only a
 * client with many requests in flight at once (pipelined, or many connections) waits that long.
 */
export const MAX_REFUSAL_WAIT_MS = 10_000;
/** Addresses remembered at once; the oldest is forgotten first (it then starts afresh). */
const ADDRESSES = 100_000;

/**
 * The generic cell rate algorithm: one number per address, the time its next refusal would be
 * due if refusals came evenly; a refusal less than `burst` intervals ahead of it is answered at
 * once (`burst` ≥ 1).
 */
export class RefusalPace {
  private readonly due = new BoundedMap<string, number>(ADDRESSES);
  private readonly intervalMs: number;

  constructor(
    perSecond = REFUSALS_PER_SECOND,
    private readonly burst = REFUSAL_BURST,
    private readonly maxWaitMs = MAX_REFUSAL_WAIT_MS,
    private readonly now: () => number = () => performance.now(),
  ) {
    this.intervalMs = 1000 / perSecond;
  }

  /**
   * Milliseconds before a refusal to `address` may be answered (0: now), or Infinity when it
   * should not be answered at all (its connection closed).
   */
  wait(address: string): number {
    const key = addressKey(address);
    const now = this.now();
    const due = Math.max(this.due.get(key) ?? now, now);
    const wait = Math.max(0, due - now - (this.burst - 1) * this.intervalMs);
    if (wait > this.maxWaitMs) return Infinity;
    // Refreshed, so that an address being paced is the last one the map would forget.
    this.due.delete(key);
    this.due.set(key, due + this.intervalMs);
    return wait;
  }
}
