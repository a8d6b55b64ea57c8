import { describe, expect, it, vi } from "vitest";
import {
  countOrders,
  isvCalls,
  placeMany,
  provisioningLedger,
  spawnWorker,
  uniquePrefix,
  useApiWithChildWorkers,
  workerEnv,
} from "./support";

const context = useApiWithChildWorkers();
const { children } = context;

describe("two worker processes on one queue", () => {
  it("carry out each order once, calling the connector once per item", { timeout: 120_000 }, async () => {
    const { api } = context;
    const env = workerEnv(api, uniquePrefix(), { DEMO_LATENCY_MS: "5", WORKER_CONCURRENCY: "8", WORKER_LOCK_DURATION_MS: "30000" });
    children.push(spawnWorker(env), spawnWorker(env));
    await Promise.all(children.map((c) => c.ready));

    // placed while both run: both relays and both workers compete for the same events and jobs
    const orders = await placeMany(api, 200);
    const ids = orders.map((o) => o.id);
    await vi.waitFor(async () => expect(await countOrders(api.db, ids, ["completed", "error"])).toBe(200), {
      timeout: 90_000,
      interval: 100,
    });

    expect(await countOrders(api.db, ids, ["completed"])).toBe(200);
    const ledger = await provisioningLedger(api.db, ids);
    expect(ledger).toEqual({ items: 240, provisionedOnce: 240, effectiveProvisions: 240, activationEvents: 240, callsReceived: 240 });
    expect((await isvCalls(api.db)).every((c) => c.calls === 1)).toBe(true);
    const completions = await api.db
      .selectFrom("events")
      .select((eb) => eb.fn.countAll<number>().as("n"))
      .where("type", "=", "order.completed")
      .executeTakeFirstOrThrow();
    expect(Number(completions.n)).toBe(200);

    for (const child of children) child.process.kill("SIGTERM");
    expect(await Promise.all(children.map((c) => c.exited))).toEqual([0, 0]);
  });
});
