import { deleteRedisKeys } from "@canopy/worker/testing";
import { ensurePanelBuilt } from "../build";
import { WEB_TEST_PREFIX } from "./test-prefix";

// The API serves apps/web/dist: the browser tests need the panel built from the current sources.
export default async function setup() {
  await ensurePanelBuilt((line) => console.log(line));
  // Afterwards, the BullMQ keys of the stacks' workers (startStack gives each its own prefix).
  return async function teardown() {
    await deleteRedisKeys(process.env.REDIS_URL ?? "redis://127.0.0.1:6379", `${WEB_TEST_PREFIX}*`);
  };
}
