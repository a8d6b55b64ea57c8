import { describe, expect, it, vi } from "vitest";
import { countOrders, placeMany, provisioningLedger, spawnWorker, uniquePrefix, useApiWithChildWorkers, workerEnv } from "./support";

const context = useApiWithChildWorkers();
const { children } = context;

describe("a worker killed with SIGKILL mid-way", () => {
  it("leaves no order behind and no item provisioned twice once a worker runs again", { timeout: 180_000 }, async () => {
    const { api } = context;
    const orders = await placeMany(api, 500);
    const ids = orders.map((o) => o.id);
    const prefix = uniquePrefix();
    // Slow enough (ISV latency, few slots) that the kill lands with work in flight.
    const env = workerEnv(api, prefix, { DEMO_LATENCY_MS: "60", WORKER_CONCURRENCY: "8" });

    const first = spawnWorker(env);
    children.push(first);
    await first.ready;
    await vi.waitFor(async () => expect(await countOrders(api.db, ids, ["completed"])).toBeGreaterThanOrEqual(100), {
      timeout: 60_000,
      interval: 20,
    });
    first.process.kill("SIGKILL");
    await first.exited;
    const terminalAtKill = await countOrders(api.db, ids, ["completed", "error"]);
    expect(terminalAtKill).toBeLessThan(500); // the premise: the kill interrupted the backlog

    const second = spawnWorker(env);
    children.push(second);
    await second.ready;
    await vi.waitFor(async () => expect(await countOrders(api.db, ids, ["completed", "error"])).toBe(500), {
      timeout: 150_000,
      interval: 100,
    });

    expect(await countOrders(api.db, ids, ["completed"])).toBe(500);
    const ledger = await provisioningLedger(api.db, ids);
    expect(ledger.items).toBe(600);
    expect(ledger.provisionedOnce).toBe(600);
    expect(ledger.effectiveProvisions).toBe(600);
    expect(ledger.activationEvents).toBe(600);
    const completions = await api.db
      .selectFrom("events")
      .select((eb) => eb.fn.countAll<number>().as("n"))
      .where("type", "=", "order.completed")
      .executeTakeFirstOrThrow();
    expect(Number(completions.n)).toBe(500);
    // Calls repeated after the crash were absorbed by the ISV's idempotency (callsReceived ≥ 600).
    console.info(
      `crash test: ${terminalAtKill} orders done at the kill; ISV received ${ledger.callsReceived} provision calls for 600 items`,
    );
    second.process.kill("SIGTERM");
    expect(await second.exited).toBe(0);
  });
});
