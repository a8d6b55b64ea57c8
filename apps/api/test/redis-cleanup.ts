import { Redis } from "ioredis";

/** The BullMQ prefixes of this package's tests start with this; the run's teardown removes their keys. */
export const TEST_PREFIX = "canopy-test-api-";

// Once every test file of the package has finished: no key of a test is left behind in Redis.
export default function setup() {
  return async function teardown() {
    const redis = new Redis(process.env.REDIS_URL ?? "redis://127.0.0.1:6379", { maxRetriesPerRequest: 1 });
    try {
      for await (const keys of redis.scanStream({ match: `${TEST_PREFIX}*`, count: 1000 }) as AsyncIterable<string[]>) {
        if (keys.length > 0) await redis.unlink(...keys);
      }
    } finally {
      redis.disconnect();
    }
  };
}
