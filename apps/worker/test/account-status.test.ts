import type { Db } from "@canopy/db";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { type Api, eventTypesOf, isvCalls, publishedProduct, startApi, startTestWorker, waitForOrder } from "./support";

let api: Api;
let worker: Awaited<ReturnType<typeof startTestWorker>>;

beforeAll(async () => {
  api = await startApi();
  worker = await startTestWorker(api);
});
afterAll(async () => {
  await worker?.close();
  await api?.close();
});

async function statusOf(db: Db, id: string) {
  const row = await db.selectFrom("subscriptions").select(["status", "pending_action"]).where("id", "=", id).executeTakeFirstOrThrow();
  return row.pending_action ? `${row.status}+${row.pending_action}` : row.status;
}

/** Waits until every subscription has the expected status (and no request pending). */
async function expectStatuses(expected: Record<string, string>) {
  await vi.waitFor(
    async () => {
      const actual = Object.fromEntries(await Promise.all(Object.keys(expected).map(async (id) => [id, await statusOf(api.db, id)])));
      expect(actual).toEqual(expected);
    },
    { timeout: 15_000, interval: 25 },
  );
}

async function activeSubscription(customer: Awaited<ReturnType<Api["account"]>>, mpn: string) {
  const order = await customer.client.orders.place.mutate({ items: [{ mpn, quantity: 1 }] });
  await waitForOrder(api.db, order.id, ["completed"]);
  return order.items[0]!.subscriptionId!;
}

const operationsOn = async (subscriptionId: string) =>
  (await isvCalls(api.db)).filter((c) => c.idempotency_key.startsWith(`${subscriptionId}.`)).map((c) => c.operation);

describe("vendor requests and account status effects", () => {
  it("carries out a vendor's suspend and resume requests through the connector", async () => {
    const product = await publishedProduct(api);
    const customer = await api.account("customer");
    const subscriptionId = await activeSubscription(customer, product.mpn);

    const requested = await api.provider.subscriptions.suspend.mutate({ id: subscriptionId });
    expect(requested.pendingAction).toBe("suspend");
    await expectStatuses({ [subscriptionId]: "suspended" });
    await api.provider.subscriptions.resume.mutate({ id: subscriptionId });
    await expectStatuses({ [subscriptionId]: "active" });

    expect(await operationsOn(subscriptionId)).toEqual(["suspend", "resume"]);
    const events = await eventTypesOf(api.db, [subscriptionId]);
    expect(events.slice(2)).toEqual([
      "subscription.updated", // the request, recorded by the API
      "subscription.suspended",
      "subscription.updated",
      "subscription.resumed",
    ]);
  });

  it("adminHold suspends the subtree, active resumes only what the hold suspended, cancelled terminates", async () => {
    const product = await publishedProduct(api);
    const reseller = await api.account("reseller");
    const customer = await api.account("customer", { as: reseller.client });
    const held = await activeSubscription(customer, product.mpn);
    const vendorSuspended = await activeSubscription(customer, product.mpn);
    const elsewhere = await activeSubscription(await api.account("customer"), product.mpn);
    await reseller.client.subscriptions.suspend.mutate({ id: vendorSuspended });
    await expectStatuses({ [vendorSuspended]: "suspended" });

    await api.provider.accounts.setStatus.mutate({ id: reseller.account.id, status: "adminHold" });
    await expectStatuses({ [held]: "suspended", [vendorSuspended]: "suspended", [elsewhere]: "active" });

    await api.provider.accounts.setStatus.mutate({ id: reseller.account.id, status: "active" });
    await expectStatuses({ [held]: "active", [vendorSuspended]: "suspended", [elsewhere]: "active" });

    await api.provider.accounts.setStatus.mutate({ id: reseller.account.id, status: "cancelled" });
    await expectStatuses({ [held]: "terminated", [vendorSuspended]: "terminated", [elsewhere]: "active" });

    expect(await operationsOn(held)).toEqual(["suspend", "resume", "terminate"]);
    expect(await operationsOn(vendorSuspended)).toEqual(["suspend", "terminate"]);
    expect(await operationsOn(elsewhere)).toEqual([]);
    expect((await eventTypesOf(api.db, [held])).slice(2)).toEqual([
      "subscription.suspended",
      "subscription.resumed",
      "subscription.terminated",
    ]);
  });

  it("a vendor's suspend asked during a hold outlasts the hold", async () => {
    const product = await publishedProduct(api);
    const reseller = await api.account("reseller");
    const customer = await api.account("customer", { as: reseller.client });
    const subscriptionId = await activeSubscription(customer, product.mpn);
    await api.provider.accounts.setStatus.mutate({ id: customer.account.id, status: "adminHold" });
    await expectStatuses({ [subscriptionId]: "suspended" });

    await reseller.client.subscriptions.suspend.mutate({ id: subscriptionId });
    await expectStatuses({ [subscriptionId]: "suspended" });
    await api.provider.accounts.setStatus.mutate({ id: customer.account.id, status: "active" });
    await vi.waitFor(async () => {
      const jobs = await worker.queues["account-status"].getJobs(["completed"]);
      expect(jobs.filter((j) => j.data.subjectId === customer.account.id)).toHaveLength(2);
    });
    await expectStatuses({ [subscriptionId]: "suspended" });
    expect(await operationsOn(subscriptionId)).toEqual(["suspend"]);
  });

  it("a hold and its lifting in quick succession leave the services running", async () => {
    const product = await publishedProduct(api);
    const customer = await api.account("customer");
    const subscriptionId = await activeSubscription(customer, product.mpn);
    await api.provider.accounts.setStatus.mutate({ id: customer.account.id, status: "adminHold" });
    await api.provider.accounts.setStatus.mutate({ id: customer.account.id, status: "active" });
    // both account events are relayed and processed, in whichever order the jobs ran
    await vi.waitFor(async () => {
      const jobs = await worker.queues["account-status"].getJobs(["completed"]);
      expect(jobs.filter((j) => j.data.subjectId === customer.account.id)).toHaveLength(2);
    });
    await expectStatuses({ [subscriptionId]: "active" });
  });
});
