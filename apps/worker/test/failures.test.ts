import type { ConnectorOperation, ConnectorRequest, DemoVerdict } from "@canopy/domain/commerce";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Api, customerWithProduct, demoConnectors, eventTypesOf, isvCalls, startApi, startTestWorker, waitForOrder } from "./support";

let api: Api;
let worker: Awaited<ReturnType<typeof startTestWorker>>;
const attemptsSeen = new Map<string, number>();

// The simulated ISV's behaviour per product: FLAKY answers 503 twice per item then works,
// REFUSED answers 400, DOWN answers 503 forever.
function decide(_operation: ConnectorOperation, request: ConnectorRequest): DemoVerdict {
  const seen = (attemptsSeen.get(request.idempotencyKey) ?? 0) + 1;
  attemptsSeen.set(request.idempotencyKey, seen);
  if (request.mpn.startsWith("FLAKY")) return seen <= 2 ? "transient" : "ok";
  if (request.mpn.startsWith("REFUSED")) return "permanent";
  if (request.mpn.startsWith("DOWN")) return "transient";
  return "ok";
}

beforeAll(async () => {
  // The API knows a connector the worker does not (their configurations disagree).
  api = await startApi({ connectors: { connectors: ["demo", "http", "carrier-pigeon"], httpSecretRefs: "any" } });
  worker = await startTestWorker(api, { connectors: demoConnectors(api.db, { decide }), attempts: 4 });
});
afterAll(async () => {
  await worker?.close();
  await api?.close();
});

describe("connector failures", () => {
  it("retries a transient failure with backoff and completes the order", async () => {
    const { customer, product } = await customerWithProduct(api, { mpn: `FLAKY-${api.unique()}`.toUpperCase() });
    const order = await customer.client.orders.place.mutate({ items: [{ mpn: product.mpn, quantity: 1 }] });
    await waitForOrder(api.db, order.id, ["completed"]);
    expect(attemptsSeen.get(order.items[0]!.id)).toBe(3);
    const subscription = await customer.client.subscriptions.get.query({ id: order.items[0]!.subscriptionId! });
    expect(subscription.status).toBe("active");
    // two refused calls never reached the ISV's store; the third provisioned once
    expect((await isvCalls(api.db, "provision")).filter((c) => c.idempotency_key === order.items[0]!.id).map((c) => c.calls)).toEqual([1]);
  });

  it("puts the order in error at once on a permanent failure, with a readable message and order.failed", async () => {
    const { customer, product } = await customerWithProduct(api, { mpn: `REFUSED-${api.unique()}`.toUpperCase() });
    const order = await customer.client.orders.place.mutate({ items: [{ mpn: product.mpn, quantity: 2 }] });
    await waitForOrder(api.db, order.id, ["error"]);
    const failed = await customer.client.orders.get.query({ id: order.id });
    expect(failed.status).toBe("error");
    expect(failed.errorMessage).toBe(`demo ISV: provision of ${product.mpn} refused (simulated 400)`);
    expect(attemptsSeen.get(order.items[0]!.id)).toBe(1);
    const subscriptionId = order.items[0]!.subscriptionId!;
    expect((await customer.client.subscriptions.get.query({ id: subscriptionId })).status).toBe("terminated");
    expect(await eventTypesOf(api.db, [order.id, subscriptionId])).toEqual([
      "order.created",
      "subscription.created",
      "order.processing",
      "subscription.terminated",
      "order.failed",
    ]);
  });

  it("gives up after the last attempt of a transient failure", async () => {
    const { customer, product } = await customerWithProduct(api, { mpn: `DOWN-${api.unique()}`.toUpperCase() });
    const order = await customer.client.orders.place.mutate({ items: [{ mpn: product.mpn, quantity: 1 }] });
    await waitForOrder(api.db, order.id, ["error"]);
    const failed = await customer.client.orders.get.query({ id: order.id });
    expect(failed.errorMessage).toBe("demo ISV: provision temporarily unavailable (simulated 503) (gave up after 4 attempts)");
    expect(attemptsSeen.get(order.items[0]!.id)).toBe(4);
  });

  it("fails an order whose product names a connector the worker does not know", async () => {
    const { customer, product } = await customerWithProduct(api, { connector: "carrier-pigeon" });
    const order = await customer.client.orders.place.mutate({ items: [{ mpn: product.mpn, quantity: 1 }] });
    await waitForOrder(api.db, order.id, ["error"]);
    expect((await customer.client.orders.get.query({ id: order.id })).errorMessage).toMatch(/unknown connector "carrier-pigeon"/);
  });
});
