import { provisioning } from "@canopy/domain/commerce";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { type Api, customerWithProduct, demoConnectors, eventTypesOf, isvCalls, startApi, startTestWorker, waitForOrder } from "./support";

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

describe("orders carried out by the worker, end to end", () => {
  it("sales: submitted → processing → completed, the subscription pending → active, with every event", async () => {
    const { customer, product } = await customerWithProduct(api);
    const order = await customer.client.orders.place.mutate({
      items: [
        { mpn: product.mpn, quantity: 3 },
        { mpn: product.mpn, quantity: 1 },
      ],
    });
    expect(order.status).toBe("submitted");
    await waitForOrder(api.db, order.id, ["completed"]);

    const done = await customer.client.orders.get.query({ id: order.id });
    expect(done.status).toBe("completed");
    const subscriptionIds = done.items.map((i) => i.subscriptionId!);
    for (const [index, id] of subscriptionIds.entries()) {
      const subscription = await customer.client.subscriptions.get.query({ id });
      expect(subscription).toMatchObject({ status: "active", quantity: done.items[index]!.quantity });
      expect(subscription.serviceRef).toMatch(/^demo_/);
      expect(subscription.startedAt).not.toBeNull();
      expect(Date.parse(subscription.renewsAt!)).toBeGreaterThan(Date.parse(subscription.startedAt!));
    }
    expect(await eventTypesOf(api.db, [order.id, ...subscriptionIds])).toEqual([
      "order.created",
      "subscription.created",
      "subscription.created",
      "order.processing",
      "subscription.activated",
      "subscription.activated",
      "order.completed",
    ]);
    // the ISV saw one provisioning per item, keyed by the order item id
    const calls = await isvCalls(api.db, "provision");
    expect(calls.filter((c) => done.items.some((i) => i.id === c.idempotency_key)).map((c) => c.calls)).toEqual([1, 1]);
  });

  it("change, renewal and cancellation orders act on the subscription through the connector", async () => {
    const { customer, product } = await customerWithProduct(api);
    const sales = await customer.client.orders.place.mutate({ items: [{ mpn: product.mpn, quantity: 2 }] });
    await waitForOrder(api.db, sales.id, ["completed"]);
    const subscriptionId = (await customer.client.orders.get.query({ id: sales.id })).items[0]!.subscriptionId!;

    const change = await customer.client.subscriptions.changeQuantity.mutate({ id: subscriptionId, quantity: 5 });
    await waitForOrder(api.db, change.id, ["completed"]);
    expect(await customer.client.subscriptions.get.query({ id: subscriptionId })).toMatchObject({ status: "active", quantity: 5 });
    expect((await isvCalls(api.db, "changeQuantity")).find((c) => c.idempotency_key === change.items[0]!.id)).toMatchObject({
      quantity: 5,
      calls: 1,
    });

    const before = await customer.client.subscriptions.get.query({ id: subscriptionId });
    const renewal = await customer.client.orders.place.mutate({ type: "renewal", items: [{ subscriptionId }] });
    await waitForOrder(api.db, renewal.id, ["completed"]);
    const renewed = await customer.client.subscriptions.get.query({ id: subscriptionId });
    expect(Date.parse(renewed.renewsAt!)).toBeGreaterThan(Date.parse(before.renewsAt!));

    const cancellation = await customer.client.subscriptions.cancel.mutate({ id: subscriptionId });
    await waitForOrder(api.db, cancellation.id, ["completed"]);
    expect((await customer.client.subscriptions.get.query({ id: subscriptionId })).status).toBe("terminated");
    expect((await isvCalls(api.db, "terminate")).filter((c) => c.idempotency_key === cancellation.items[0]!.id)).toHaveLength(1);

    expect(await eventTypesOf(api.db, [change.id, renewal.id, cancellation.id, subscriptionId])).toEqual([
      "subscription.created",
      "subscription.activated",
      "order.created",
      "order.processing",
      "subscription.updated",
      "order.completed",
      "order.created",
      "order.processing",
      "subscription.updated",
      "order.completed",
      "order.created",
      "order.processing",
      "subscription.terminated",
      "order.completed",
    ]);
  });

  it("calls the connector exactly once per order item when the same job runs again", async () => {
    const { customer, product } = await customerWithProduct(api);
    const order = await customer.client.orders.place.mutate({
      items: [
        { mpn: product.mpn, quantity: 1 },
        { mpn: product.mpn, quantity: 2 },
      ],
    });
    await waitForOrder(api.db, order.id, ["completed"]);
    // The job delivered again (a redelivery after a lost ack), under a new job id…
    await worker.queues["order-provisioning"].add(
      "order.created",
      { eventId: "evt_again", type: "order.created", accountId: customer.account.id, subjectId: order.id },
      { jobId: `again-${order.id}` },
    );
    await vi.waitFor(async () => expect(await worker.queues["order-provisioning"].getJobState(`again-${order.id}`)).toBe("completed"));
    // …and run once more directly, as a second worker would
    expect(await provisioning.processOrder(api.db, order.id, { connectors: demoConnectors(api.db), finalAttempt: false })).toBe(
      "completed",
    );

    const keys = order.items.map((i) => i.id);
    const calls = (await isvCalls(api.db)).filter((c) => keys.includes(c.idempotency_key));
    expect(calls.map((c) => [c.operation, c.calls])).toEqual([
      ["provision", 1],
      ["provision", 1],
    ]);
    expect((await eventTypesOf(api.db, [order.id])).filter((t) => t === "order.completed")).toHaveLength(1);
  });
});
