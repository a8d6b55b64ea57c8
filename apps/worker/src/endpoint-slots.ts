import type { Redis } from "ioredis";

// A sorted set per endpoint holds who is sending to it right now, scored by when they started.
// Holders older than the lease are dropped first, so a worker that died mid-request cannot keep
// a slot forever.
const ACQUIRE = `
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', tonumber(ARGV[1]) - tonumber(ARGV[3]))
if redis.call('ZCARD', KEYS[1]) >= tonumber(ARGV[2]) then
  local oldest = redis.call('ZRANGE', KEYS[1], 0, 0, 'WITHSCORES')
  return tonumber(ARGV[1]) - tonumber(oldest[2])
end
redis.call('ZADD', KEYS[1], ARGV[1], ARGV[4])
redis.call('PEXPIRE', KEYS[1], ARGV[3])
return -1`;

// The holder that finished passes its slot to a waiting one: the count never drops, so no other
// process can take the slot in between, and it costs one round trip instead of two.
const HAND_OVER = `
redis.call('ZREM', KEYS[1], ARGV[2])
redis.call('ZADD', KEYS[1], ARGV[1], ARGV[3])
redis.call('PEXPIRE', KEYS[1], ARGV[4])
return 1`;

// A holder that keeps its slot for its next request restarts its clock and the key's lease.
const RENEW = `
redis.call('ZADD', KEYS[1], ARGV[1], ARGV[2])
redis.call('PEXPIRE', KEYS[1], ARGV[3])
return 1`;

type SlotRedis = Redis & {
  canopyRenewEndpointSlot(key: string, now: number, holder: string, leaseMs: number): Promise<number>;
  canopyAcquireEndpointSlot(key: string, now: number, limit: number, leaseMs: number, holder: string): Promise<number>;
  canopyHandOverEndpointSlot(key: string, now: number, from: string, to: string, leaseMs: number): Promise<number>;
};

export type SlotAnswer = { granted: true } | { granted: false; busyForMs: number };

interface Waiter {
  holder: string;
  settle: (granted: boolean) => void;
}

/**
 * The per-endpoint concurrency limit that keeps deliveries fair: a slow or failing receiver
 * holds at most `limit` requests at once, and the jobs beyond it wait in the delayed set
 * instead of occupying the worker slots that other endpoints' deliveries need.
 *
 * For a receiver that answers quickly, a trip through the delayed set costs more than the
 * request itself (and at least the 50 ms minimum postpone). So a job that finds the endpoint
 * busy, while this process itself holds one of its slots and the oldest request is young (`youngMs`, 200 ms),
 * waits here briefly (`handOverWaitMs`, 100 ms) for one of this process's requests to finish and hand
 * its slot over. At most `limit` jobs wait per endpoint, and only that long: a receiver that
 * starts hanging holds at most `2 × limit` worker slots for that time, then its jobs are
 * postponed as before.
 */
export class EndpointSlots {
  private readonly redis: SlotRedis;
  /** When each request this process has in flight started, per endpoint and holder. */
  private readonly held = new Map<string, Map<string, number>>();
  private readonly waiting = new Map<string, Waiter[]>();
  /** When Redis last heard each holder's start time (acquire, hand-over or renew). */
  private readonly renewedAt = new Map<string, number>();
  private readonly renewEveryMs: number;

  constructor(
    redis: Redis,
    private readonly opts: {
      prefix: string;
      limit: number;
      leaseMs: number;
      /** How long a job waits here for a hand-over before it is postponed. */
      handOverWaitMs?: number;
      /** Only while the oldest request in flight is younger than this: a hanging receiver's are not. */
      youngMs?: number;
      /** How often at most a holder's renewal reaches Redis (default 200 ms; at most a quarter of the lease). */
      renewEveryMs?: number;
      /** Where a failed release is reported (the lease frees the slot later). */
      onReleaseError?: (error: unknown) => void;
    },
  ) {
    // A defined command runs by EVALSHA: the script is sent once per connection, not per call.
    if (!("canopyAcquireEndpointSlot" in redis)) redis.defineCommand("canopyAcquireEndpointSlot", { numberOfKeys: 1, lua: ACQUIRE });
    if (!("canopyHandOverEndpointSlot" in redis)) redis.defineCommand("canopyHandOverEndpointSlot", { numberOfKeys: 1, lua: HAND_OVER });
    if (!("canopyRenewEndpointSlot" in redis)) redis.defineCommand("canopyRenewEndpointSlot", { numberOfKeys: 1, lua: RENEW });
    this.redis = redis as SlotRedis;
    this.renewEveryMs = Math.min(opts.renewEveryMs ?? 200, opts.leaseMs / 4);
  }

  private key(endpointId: string) {
    return `${this.opts.prefix}:webhook-endpoint-slots:${endpointId}`;
  }

  /**
   * Takes a slot, or says how long the oldest request in flight to the endpoint has been
   * running: a receiver that answers in milliseconds frees a slot soon, a hanging one does not.
   */
  async acquire(endpointId: string, holder: string): Promise<SlotAnswer> {
    const mine = this.held.get(endpointId);
    let busyForMs: number;
    if (mine && mine.size >= this.opts.limit) {
      // This process alone fills the endpoint: no need to ask Redis to know it is busy.
      busyForMs = Date.now() - Math.min(...mine.values());
    } else {
      const now = Date.now();
      busyForMs = Number(await this.redis.canopyAcquireEndpointSlot(this.key(endpointId), now, this.opts.limit, this.opts.leaseMs, holder));
      if (busyForMs < 0) {
        this.hold(endpointId, holder, now);
        return { granted: true };
      }
    }
    const waitMs = this.opts.handOverWaitMs ?? 100;
    const queue = this.waiting.get(endpointId) ?? [];
    if (busyForMs >= (this.opts.youngMs ?? 200) || !this.held.get(endpointId)?.size || queue.length >= this.opts.limit)
      return { granted: false, busyForMs };
    this.waiting.set(endpointId, queue);
    const granted = await new Promise<boolean>((resolve) => {
      const waiter: Waiter = {
        holder,
        settle: (ok) => {
          clearTimeout(timer);
          resolve(ok);
        },
      };
      const timer = setTimeout(() => {
        const i = queue.indexOf(waiter);
        if (i >= 0) queue.splice(i, 1);
        resolve(false);
      }, waitMs);
      queue.push(waiter);
    });
    if (queue.length === 0 && this.waiting.get(endpointId) === queue) this.waiting.delete(endpointId);
    return granted ? { granted: true } : { granted: false, busyForMs: busyForMs + waitMs };
  }

  /**
   * Gives the slot to a job of this process waiting for the endpoint, or back to Redis. The
   * caller need not wait: Redis runs one connection's commands in order, so a later acquire
   * from this process sees the release, and a release that fails is reported and left to the lease.
   */
  release(endpointId: string, holder: string): Promise<void> {
    this.held.get(endpointId)?.delete(holder);
    this.renewedAt.delete(holder);
    const next = this.waiting.get(endpointId)?.shift();
    const key = this.key(endpointId);
    const now = Date.now();
    let done: Promise<unknown>;
    if (next) {
      this.hold(endpointId, next.holder, now);
      done = this.redis.canopyHandOverEndpointSlot(key, now, holder, next.holder, this.opts.leaseMs);
      next.settle(true);
    } else {
      if (this.held.get(endpointId)?.size === 0) this.held.delete(endpointId);
      done = this.redis.zrem(key, holder);
    }
    return done.then(
      () => undefined,
      (error) => this.opts.onReleaseError?.(error),
    );
  }

  /**
   * A holder keeps its slot for another request (the in-process lanes send back to back): its
   * start time is now, for the lease and for how long others see the endpoint busy. Not to be
   * waited for, as `release`.
   */
  renew(endpointId: string, holder: string): Promise<void> {
    const now = Date.now();
    this.held.get(endpointId)?.set(holder, now);
    // Redis is told at most every `renewEveryMs` per holder: a lane sending back to back to a
    // fast receiver would otherwise spend a script call per request (a sixth of the worker's
    // CPU at 2,500 deliveries/s; at 50 ms it was still a twelfth). Other processes then see the
    // endpoint busy for up to that much longer than it is, which only lengthens their postpone
    // (capped at a second) when it is full; the lease is a minute.
    const last = this.renewedAt.get(holder);
    if (last !== undefined && now - last < this.renewEveryMs) return Promise.resolve();
    this.renewedAt.set(holder, now);
    return this.redis.canopyRenewEndpointSlot(this.key(endpointId), now, holder, this.opts.leaseMs).then(
      () => undefined,
      (error) => this.opts.onReleaseError?.(error),
    );
  }

  private hold(endpointId: string, holder: string, since: number) {
    this.renewedAt.set(holder, since);
    const mine = this.held.get(endpointId) ?? new Map<string, number>();
    mine.set(holder, since);
    this.held.set(endpointId, mine);
  }
}
