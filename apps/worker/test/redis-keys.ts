import { randomBytes } from "node:crypto";
import { Redis } from "ioredis";

export const REDIS_URL = process.env.REDIS_URL ?? "redis://127.0.0.1:6379";

// Every BullMQ prefix a test file hands out; test/setup.ts deletes their keys once the file is done.
const prefixes = new Set<string>();

/** A BullMQ key prefix of this test file's own on the shared Redis. */
export function uniquePrefix(): string {
  const prefix = `canopy-test-${randomBytes(6).toString("hex")}`;
  prefixes.add(prefix);
  return prefix;
}

/** Unlinks every key under the prefixes handed out so far (queues, job data, metrics, endpoint slots). */
export async function deleteTestKeys(): Promise<number> {
  if (prefixes.size === 0) return 0;
  const redis = new Redis(REDIS_URL, { maxRetriesPerRequest: 1, lazyConnect: true });
  let deleted = 0;
  try {
    await redis.connect();
    for (const prefix of prefixes) {
      for await (const keys of redis.scanStream({ match: `${prefix}:*`, count: 1000 }) as AsyncIterable<string[]>) {
        if (keys.length > 0) deleted += await redis.unlink(...keys);
      }
      prefixes.delete(prefix);
    }
  } finally {
    redis.disconnect();
  }
  return deleted;
}
