import { randomBytes } from "node:crypto";
import { deleteRedisKeys } from "../src/testing";

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
  const handedOut = [...prefixes];
  const deleted = await deleteRedisKeys(REDIS_URL, ...handedOut.map((prefix) => `${prefix}:*`));
  for (const prefix of handedOut) prefixes.delete(prefix);
  return deleted;
}
