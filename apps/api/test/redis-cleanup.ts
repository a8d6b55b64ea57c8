import { deleteRedisKeys } from "@canopy/worker/testing";

/** The BullMQ prefixes of this package's tests start with this; the run's teardown removes their keys. */
export const TEST_PREFIX = "canopy-test-api-";

// Once every test file of the package has finished: no key of a test is left behind in Redis.
export default function setup() {
  return async function teardown() {
    await deleteRedisKeys(process.env.REDIS_URL ?? "redis://127.0.0.1:6379", `${TEST_PREFIX}*`);
  };
}
