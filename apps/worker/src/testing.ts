import { Redis } from "ioredis";

/**
 * Unlinks every key matching any of `patterns` (SCAN, then UNLINK a page at a time): the queues,
 * job data, metrics and endpoint slots a test run or a benchmark left on a shared Redis under its
 * own prefix. Returns how many keys were deleted.
 */
export async function deleteRedisKeys(redisUrl: string, ...patterns: string[]): Promise<number> {
  const redis = new Redis(redisUrl, { lazyConnect: true, maxRetriesPerRequest: 1 });
  let deleted = 0;
  try {
    await redis.connect();
    for (const match of patterns) {
      for await (const keys of redis.scanStream({ match, count: 1000 }) as AsyncIterable<string[]>) {
        if (keys.length > 0) deleted += await redis.unlink(...keys);
      }
    }
  } finally {
    redis.disconnect();
  }
  return deleted;
}
