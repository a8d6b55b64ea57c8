import { type Receiver, startReceiver } from "@canopy/api/testing";
import { webhookSettings } from "@canopy/domain/messaging";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { type Api, publishedProduct, startApi, startTestWorker, waitForOrder } from "./support";

// The audit trail with the real worker: what the worker does is the system's; catalog events
// reach the provider's endpoints like any other event (docs/events.md#who-did-it).
let api: Api;
let worker: Awaited<ReturnType<typeof startTestWorker>>;
const receivers: Receiver[] = [];
const settings = webhookSettings({ allowPrivateUrls: true, retryScale: 0.001, timeoutMs: 20_000 });

beforeAll(async () => {
  api = await startApi({ webhooks: settings });
  worker = await startTestWorker(api, {
    webhooks: { settings, deliveryConcurrency: 4, endpointConcurrency: 2, slotWaitMs: 100, sweepIntervalMs: 100 },
  });
});
afterAll(async () => {
  await Promise.all(receivers.map((r) => r.close()));
  await worker?.close();
  await api?.close();
});

/** orders.place over plain HTTP, as any client would send it, with an X-Request-Id of the caller's. */
async function placeWithRequestId(secret: string, requestId: string, input: unknown): Promise<{ id: string }> {
  const response = await fetch(`${api.url}/trpc/orders.place`, {
    method: "POST",
    headers: { authorization: `Bearer ${secret}`, "content-type": "application/json", "x-request-id": requestId },
    body: JSON.stringify(input),
  });
  expect(response.status).toBe(200);
  return ((await response.json()) as { result: { data: { id: string } } }).result.data;
}

describe("the audit trail, worker side", () => {
  it("records the order as the key's and its provisioning as the system's", async () => {
    const customer = await api.account("customer");
    const { apiKey, secret } = await api.provider.apiKeys.create.mutate({ name: "orders", accountId: customer.account.id });
    const product = await publishedProduct(api);
    const order = await placeWithRequestId(secret, "req-worker-audit", { items: [{ mpn: product.mpn, quantity: 1 }] });
    await waitForOrder(api.db, order.id, ["completed"]);

    const { items } = await api.provider.events.list.query({
      accountId: customer.account.id,
      types: ["order.created", "order.processing", "order.completed", "subscription.activated"],
    });
    const byType = Object.fromEntries(items.map((e) => [e.type, e]));
    expect(byType["order.created"]).toMatchObject({ actor: { type: "api_key", id: apiKey.id }, requestId: "req-worker-audit" });
    for (const type of ["order.processing", "order.completed", "subscription.activated"]) {
      expect(byType[type]).toMatchObject({ actor: { type: "system", id: "system:provisioning" }, requestId: null });
    }
    const system = await api.provider.events.list.query({ actorId: "system:provisioning", accountId: customer.account.id });
    expect(system.items.map((e) => e.type).sort()).toEqual(["order.completed", "order.processing", "subscription.activated"]);
  });

  it("delivers product.updated to a provider endpoint subscribed to it", async () => {
    const secrets: string[] = [];
    const receiver = await startReceiver({ secrets });
    receivers.push(receiver);
    const { secret } = await api.provider.webhooks.endpoints.create.mutate({ url: receiver.url, eventTypes: ["product.updated"] });
    secrets.push(secret);
    const product = await publishedProduct(api);
    const updated = await api.provider.products.update.mutate({ id: product.id, version: product.version, name: "Renamed Suite" });

    await vi.waitFor(() => expect(receiver.messages).toHaveLength(1), { timeout: 15_000, interval: 50 });
    const [message] = receiver.messages;
    expect(message!.verifiedWith).toEqual([secret]);
    expect(message!.body).toMatchObject({
      type: "product.updated",
      data: { id: product.id, name: "Renamed Suite", version: updated.version },
    });
    const [event] = (await api.provider.events.list.query({ type: "product.updated", limit: 1 })).items;
    expect(message!.id).toBe(event!.id);
    // Only what it subscribed to: the product's creation and publication were not sent.
    expect(receiver.requests).toBe(1);
  });
});
