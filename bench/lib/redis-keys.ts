import IORedis from "ioredis";

/**
 * Deletes the keys a benchmark's queues left under `prefix` (BullMQ keeps completed jobs,
 * events and worker metadata there), so that repeated runs do not pile them up in Redis.
 */
export async function deleteKeysUnder(redisUrl: string, prefix: string): Promise<void> {
  const redis = new IORedis(redisUrl, { lazyConnect: true, maxRetriesPerRequest: 1 });
  try {
    await redis.connect();
    for await (const keys of redis.scanStream({ match: `${prefix}:*`, count: 1000 }) as AsyncIterable<string[]>) {
      if (keys.length > 0) await redis.unlink(...keys);
    }
  } finally {
    redis.disconnect();
  }
}
