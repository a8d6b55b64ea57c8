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

/**
 * The per-endpoint concurrency limit that keeps deliveries fair: a slow or failing receiver
 * holds at most `limit` requests at once, and the jobs beyond it wait in the delayed set
 * instead of occupying the worker slots that other endpoints' deliveries need.
 */
type SlotRedis = Redis & { canopyAcquireEndpointSlot(key: string, now: number, limit: number, leaseMs: number, holder: string): Promise<number> };

export class EndpointSlots {
  private readonly redis: SlotRedis;

  constructor(
    redis: Redis,
    private readonly opts: { prefix: string; limit: number; leaseMs: number },
  ) {
    // A defined command runs by EVALSHA: the script is sent once per connection, not per call.
    if (!("canopyAcquireEndpointSlot" in redis)) redis.defineCommand("canopyAcquireEndpointSlot", { numberOfKeys: 1, lua: ACQUIRE });
    this.redis = redis as SlotRedis;
  }

  private key(endpointId: string) {
    return `${this.opts.prefix}:webhook-endpoint-slots:${endpointId}`;
  }

  /**
   * Takes a slot, or says how long the oldest request in flight to the endpoint has been
   * running: a receiver that answers in milliseconds frees a slot soon, a hanging one does not.
   */
  async acquire(endpointId: string, holder: string): Promise<{ granted: true } | { granted: false; busyForMs: number }> {
    const answer = Number(await this.redis.canopyAcquireEndpointSlot(this.key(endpointId), Date.now(), this.opts.limit, this.opts.leaseMs, holder));
    return answer < 0 ? { granted: true } : { granted: false, busyForMs: answer };
  }

  async release(endpointId: string, holder: string): Promise<void> {
    await this.redis.zrem(this.key(endpointId), holder);
  }
}
