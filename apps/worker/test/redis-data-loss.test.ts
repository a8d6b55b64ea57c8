import { countUnrelayed } from "@canopy/domain/messaging";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { type Api, countOrders, type PrivateRedis, placeMany, startApi, startPrivateRedis, startTestWorker, uniquePrefix } from "./support";

let api: Api;
let redis: PrivateRedis;

beforeAll(async () => {
  redis = await startPrivateRedis();
  api = await startApi();
});
afterAll(async () => {
  await api?.close();
  await redis?.stop();
});

describe("Redis losing its data", () => {
  it("orders whose relayed jobs vanished are enqueued again by the recovery sweep", { timeout: 60_000 }, async () => {
    const prefix = uniquePrefix();
    // A worker that only relays: the jobs reach Redis and wait there.
    const relayOnly = await startTestWorker(api, { redisUrl: redis.url, prefix, queues: [] });
    const orders = await placeMany(api, 10);
    const ids = orders.map((o) => o.id);
    await vi.waitFor(async () => expect(await countUnrelayed(api.db)).toBe(0));
    await relayOnly.close();

    await redis.stop();
    await redis.start(); // no persistence: the waiting jobs are gone, the outbox says "relayed"

    const worker = await startTestWorker(api, { redisUrl: redis.url, prefix, recovery: { intervalMs: 200, afterMs: 0 } });
    try {
      await vi.waitFor(async () => expect(await countOrders(api.db, ids, ["completed"])).toBe(10), { timeout: 30_000, interval: 100 });
    } finally {
      await worker.close();
    }
  });
});
