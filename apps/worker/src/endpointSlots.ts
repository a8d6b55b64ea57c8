import type { Redis } from "ioredis";

// A sorted set per endpoint holds who is sending to it right now, scored by when they started.
// Holders older than the lease are dropped first, so a worker that died mid-request cannot keep
// a slot forever.
const ACQUIRE = `
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', tonumber(ARGV[1]) - tonumber(ARGV[3]))
if redis.call('ZCARD', KEYS[1]) >= tonumber(ARGV[2]) then return 0 end
redis.call('ZADD', KEYS[1], ARGV[1], ARGV[4])
redis.call('PEXPIRE', KEYS[1], ARGV[3])
return 1`;

/**
 * The per-endpoint concurrency limit that keeps deliveries fair: a slow or failing receiver
 * holds at most `limit` requests at once, and the jobs beyond it wait in the delayed set
 * instead of occupying the worker slots that other endpoints' deliveries need.
 */
export class EndpointSlots {
  constructor(
    private readonly redis: Redis,
    private readonly opts: { prefix: string; limit: number; leaseMs: number },
  ) {}

  private key(endpointId: string) {
    return `${this.opts.prefix}:webhook-endpoint-slots:${endpointId}`;
  }

  async acquire(endpointId: string, holder: string): Promise<boolean> {
    const granted = await this.redis.eval(ACQUIRE, 1, this.key(endpointId), Date.now(), this.opts.limit, this.opts.leaseMs, holder);
    return granted === 1;
  }

  async release(endpointId: string, holder: string): Promise<void> {
    await this.redis.zrem(this.key(endpointId), holder);
  }
}
