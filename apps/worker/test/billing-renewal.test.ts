import { sql } from "@canopy/db";
import { newId } from "@canopy/domain/shared";
import { describe, expect, it, vi } from "vitest";
import { inPool, publishedProduct, spawnWorker, startTestWorker, uniquePrefix, useApiWithChildWorkers, workerEnv } from "./support";

const context = useApiWithChildWorkers();
const { children } = context;

const RENEWING = Number(process.env.BILLING_RENEWALS ?? 1000);
const EXPIRING = 5;

/** Active subscriptions whose term ended a day ago (so the worker has a missed day to catch up). */
async function dueSubscriptions(count: number, autoRenew: boolean) {
  const { api } = context;
  const reseller = await api.account("reseller");
  await reseller.client.prices.set.mutate({ mpn: product.mpn, price: { amount: 1200, currency: "USD" } });
  const customers = await inPool(
    Array.from({ length: 10 }, (_, i) => i),
    4,
    () => api.account("customer", { vendorId: reseller.account.id }),
  );
  const paths = new Map(
    (
      await api.db
        .selectFrom("accounts")
        .select(["id", "path"])
        .where(
          "id",
          "in",
          customers.map((c) => c.account.id),
        )
        .execute()
    ).map((a) => [a.id, a.path]),
  );
  const renewsAt = new Date(Date.now() - 86_400_000);
  const startedAt = new Date(renewsAt);
  startedAt.setUTCMonth(startedAt.getUTCMonth() - 1);
  const rows = Array.from({ length: count }, (_, i) => {
    const customer = customers[i % customers.length]!.account;
    return {
      id: newId("sub"),
      account_id: customer.id,
      account_path: paths.get(customer.id)!,
      product_id: product.id,
      mpn: product.mpn,
      quantity: 1 + (i % 5),
      status: "active" as const,
      started_at: startedAt,
      renews_at: renewsAt,
      auto_renew: autoRenew,
      service_ref: `svc-${i}`,
    };
  });
  for (let i = 0; i < rows.length; i += 500)
    await api.db
      .insertInto("subscriptions")
      .values(rows.slice(i, i + 500))
      .execute();
  return { ids: rows.map((r) => r.id), renewsAt };
}

let product: { id: string; mpn: string };

async function renewalOrders(ids: string[]) {
  return context.api.db
    .selectFrom("orders")
    .select(["subscription_id", "status", "idempotency_key"])
    .where("type", "=", "renewal")
    .where("subscription_id", "in", ids)
    .execute();
}

describe("renewal by the worker", () => {
  it("renews 1,000 due subscriptions exactly once across a SIGKILL, and ends those with autoRenew off", { timeout: 600_000 }, async () => {
    const { api } = context;
    product = await publishedProduct(api, { msrp: { amount: 1500, currency: "USD" } });
    await api.provider.prices.set.mutate({ mpn: product.mpn, price: { amount: 1000, currency: "USD" } });
    const renewing = await dueSubscriptions(RENEWING, true);
    const expiring = await dueSubscriptions(EXPIRING, false);
    const prefix = uniquePrefix();
    const env = workerEnv(api, prefix, { BILLING_TICK_MS: "500", WORKER_CONCURRENCY: "8" });

    const first = spawnWorker(env);
    children.push(first);
    await first.ready;
    await vi
      .waitFor(
        async () =>
          expect((await renewalOrders(renewing.ids)).filter((o) => o.status === "completed").length).toBeGreaterThanOrEqual(RENEWING / 10),
        {
          timeout: 120_000,
          interval: 20,
        },
      )
      .catch((error) => {
        throw new Error(`${(error as Error).message}\nworker output:\n${first.output()}`);
      });
    first.process.kill("SIGKILL");
    await first.exited;
    const atKill = (await renewalOrders(renewing.ids)).filter((o) => o.status === "completed").length;
    expect(atKill).toBeLessThan(RENEWING); // the premise: the kill interrupted the renewals

    const second = spawnWorker(env);
    children.push(second);
    await second.ready;
    await vi.waitFor(
      async () => {
        const charges = await api.db
          .selectFrom("charges")
          .select(sql<number>`count(*)`.as("n"))
          .where("kind", "=", "renewal")
          .executeTakeFirstOrThrow();
        expect(Number(charges.n)).toBe(RENEWING);
      },
      { timeout: 420_000, interval: 250 },
    );
    await vi.waitFor(
      async () => {
        const ended = await api.db
          .selectFrom("subscriptions")
          .select("id")
          .where("id", "in", expiring.ids)
          .where("status", "=", "terminated")
          .execute();
        expect(ended).toHaveLength(EXPIRING);
      },
      { timeout: 60_000, interval: 100 },
    );

    // Exactly one renewal order per subscription, for the term that started at the old renewsAt.
    const orders = await renewalOrders(renewing.ids);
    expect(orders).toHaveLength(RENEWING);
    expect(new Set(orders.map((o) => o.subscription_id)).size).toBe(RENEWING);
    expect(
      orders.every(
        (o) => o.status === "completed" && o.idempotency_key === `renew:${o.subscription_id}:${renewing.renewsAt.toISOString()}`,
      ),
    ).toBe(true);
    // Each moved on by exactly one term (no gap, no double step).
    const next = new Date(renewing.renewsAt);
    next.setUTCMonth(next.getUTCMonth() + 1);
    const subs = await api.db.selectFrom("subscriptions").select(["renews_at", "status"]).where("id", "in", renewing.ids).execute();
    expect(subs.every((s) => s.status === "active" && s.renews_at!.getTime() === next.getTime())).toBe(true);
    // Rated once at both tiers: customer ← reseller at 1200, reseller ← provider at 1000 per unit.
    const lines = await api.db
      .selectFrom("rated_lines")
      .select(["tier", sql<number>`count(*)`.as("n"), sql<number>`sum(price_amount)`.as("total")])
      .where("subscription_id", "in", renewing.ids)
      .groupBy("tier")
      .orderBy("tier")
      .execute();
    const units = (RENEWING / 5) * (1 + 2 + 3 + 4 + 5);
    expect(lines.map((l) => [l.tier, Number(l.n), Number(l.total)])).toEqual([
      [0, RENEWING, units * 1200],
      [1, RENEWING, units * 1000],
    ]);
    // autoRenew off: ended by a cancellation order at term end, never renewed.
    expect(await renewalOrders(expiring.ids)).toHaveLength(0);
    console.info(`renewal crash test: ${atKill} of ${RENEWING} renewals completed at the kill`);
    second.process.kill("SIGTERM");
    expect(await second.exited).toBe(0);
  });

  it("closes the month that ended at the worker's clock, once, with statement.issued for the vendor's chain", {
    timeout: 120_000,
  }, async () => {
    const { api } = context;
    const open = await api.db.selectFrom("statements").select("id").where("status", "=", "open").execute();
    expect(open.length).toBeGreaterThan(0);
    const monthAfter = new Date();
    monthAfter.setUTCMonth(monthAfter.getUTCMonth() + 1, 1);
    monthAfter.setUTCHours(0, 0, 5, 0);
    const worker = await startTestWorker(api, { queues: ["billing-clock"], billing: { now: () => monthAfter, tickMs: 200 } });
    try {
      await vi.waitFor(
        async () => {
          const left = await api.db.selectFrom("statements").select("id").where("status", "=", "open").execute();
          expect(left).toHaveLength(0);
        },
        { timeout: 60_000, interval: 100 },
      );
      // More ticks pass; nothing is issued twice.
      await new Promise((resolve) => setTimeout(resolve, 1000));
    } finally {
      await worker.close();
    }
    const events = await api.db
      .selectFrom("events")
      .select(sql<string>`data->>'id'`.as("statement"))
      .where("type", "=", "statement.issued")
      .execute();
    expect(events).toHaveLength(open.length);
    expect(new Set(events.map((e) => e.statement)).size).toBe(open.length);
  });
});
