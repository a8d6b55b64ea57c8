import { Redis } from "ioredis";
import { ensurePanelBuilt } from "../build";
import { WEB_TEST_PREFIX } from "./test-prefix";

// The API serves apps/web/dist: the browser tests need the panel built from the current sources.
export default async function setup() {
  await ensurePanelBuilt((line) => console.log(line));
  // Afterwards, the BullMQ keys of the stacks' workers (startStack gives each its own prefix).
  return async function teardown() {
    const redis = new Redis(process.env.REDIS_URL ?? "redis://127.0.0.1:6379", { maxRetriesPerRequest: 1 });
    try {
      for await (const keys of redis.scanStream({ match: `${WEB_TEST_PREFIX}*`, count: 1000 }) as AsyncIterable<string[]>) {
        if (keys.length > 0) await redis.unlink(...keys);
      }
    } finally {
      redis.disconnect();
    }
  };
}
