import { countUnrelayed } from "@canopy/domain/messaging";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { type Api, countOrders, type PrivateRedis, placeMany, startApi, startPrivateRedis, startTestWorker } from "./support";

let api: Api;
let worker: Awaited<ReturnType<typeof startTestWorker>>;

let redis: PrivateRedis;

beforeAll(async () => {
  redis = await startPrivateRedis();
  api = await startApi();
  worker = await startTestWorker(api, { redisUrl: redis.url });
});
afterAll(async () => {
  if (!redis.running) await redis.start(); // let the worker disconnect cleanly
  await worker?.close();
  await api?.close();
  await redis.stop();
});

describe("Redis outage", () => {
  it("orders are accepted while Redis is down and carried out once it is back, none lost", { timeout: 120_000 }, async () => {
    const before = await placeMany(api, 5);
    await vi.waitFor(
      async () =>
        expect(
          await countOrders(
            api.db,
            before.map((o) => o.id),
            ["completed"],
          ),
        ).toBe(5),
      { timeout: 20_000 },
    );

    await redis.stop();
    const during = await placeMany(api, 40);
    expect(during.every((o) => o.status === "submitted")).toBe(true);
    // the events wait in the outbox, in Postgres
    expect(await countUnrelayed(api.db)).toBeGreaterThanOrEqual(40);
    expect(
      await countOrders(
        api.db,
        during.map((o) => o.id),
        ["submitted"],
      ),
    ).toBe(40);

    await redis.start(); // empty: whatever Redis held before is gone
    const ids = during.map((o) => o.id);
    await vi.waitFor(async () => expect(await countOrders(api.db, ids, ["completed"])).toBe(40), { timeout: 60_000, interval: 100 });
    // the last orders' completion events were written just now: the relay hands them over too
    await vi.waitFor(async () => expect(await countUnrelayed(api.db)).toBe(0), { timeout: 15_000 });
  });
});
