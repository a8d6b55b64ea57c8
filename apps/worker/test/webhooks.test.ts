import { type Answer, type ReceivedMessage, type Receiver, startReceiver } from "@canopy/api/testing";
import { webhookSettings } from "@canopy/domain/messaging";
import { insertEvent, systemOrigin } from "@canopy/domain/shared";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { type Api, publishedProduct, startApi, startTestWorker, waitForOrder } from "./support";

// The real API and worker over one database and a BullMQ prefix of this file's own. Receivers
// listen on 127.0.0.1 (WEBHOOK_ALLOW_PRIVATE_URLS on) and verify every delivery with the
// `standardwebhooks` library. The retry schedule runs 1000 times faster (WEBHOOK_RETRY_SCALE).
let api: Api;
let worker: Awaited<ReturnType<typeof startTestWorker>>;
const receivers: Receiver[] = [];
const settings = webhookSettings({ allowPrivateUrls: true, retryScale: 0.001, timeoutMs: 20_000 });

beforeAll(async () => {
  api = await startApi({ webhooks: settings });
  worker = await startTestWorker(api, {
    webhooks: { settings, deliveryConcurrency: 8, endpointConcurrency: 2, slotWaitMs: 100, sweepIntervalMs: 100 },
  });
});
afterAll(async () => {
  await Promise.all(receivers.map((r) => r.close()));
  await worker?.close();
  await api?.close();
});

type Client = Api["provider"];

/** A receiver and an endpoint pointing at it, whose secret the receiver verifies with. */
async function endpointFor(client: Client, opts: { eventTypes?: string[]; answer?: (n: number, m: ReceivedMessage) => Answer } = {}) {
  const secrets: string[] = [];
  const receiver = await startReceiver({ secrets, answer: opts.answer });
  receivers.push(receiver);
  const { endpoint, secret } = await client.webhooks.endpoints.create.mutate({ url: receiver.url, eventTypes: opts.eventTypes as never });
  secrets.push(secret);
  return { receiver, endpoint, secret, secrets };
}

const typesOf = (r: Receiver) => r.messages.map((m) => m.body.type);
const deliveryOf = async (client: Client, endpointId: string) => {
  const { items } = await client.webhooks.deliveries.list.query({ endpointId });
  return items;
};

describe("webhook fan-out and delivery, end to end", () => {
  it("delivers an order's events to the reseller above the customer and to the provider, not to a sibling reseller", async () => {
    const orderEvents = ["order.created", "order.processing", "order.completed"];
    const reseller = await api.account("reseller");
    const sibling = await api.account("reseller");
    const customer = await api.account("customer", { as: reseller.client });
    const product = await publishedProduct(api);
    const above = await endpointFor(reseller.client, { eventTypes: orderEvents });
    const top = await endpointFor(api.provider, { eventTypes: orderEvents });
    const beside = await endpointFor(sibling.client);

    const order = await reseller.client.orders.place.mutate({ accountId: customer.account.id, items: [{ mpn: product.mpn, quantity: 2 }] });
    await waitForOrder(api.db, order.id, ["completed"]);
    await vi.waitFor(
      () => {
        expect(typesOf(above.receiver).sort()).toEqual([...orderEvents].sort());
        expect(typesOf(top.receiver).sort()).toEqual([...orderEvents].sort());
      },
      { timeout: 15_000, interval: 50 },
    );

    for (const { receiver, secret } of [above, top]) {
      expect(receiver.unverified).toEqual([]);
      for (const message of receiver.messages) {
        expect(message.verifiedWith).toEqual([secret]);
        expect(message.body.data).toMatchObject({ id: order.id, accountId: customer.account.id });
        expect(message.id).toMatch(/^evt_/);
        expect(Date.parse(message.body.timestamp)).not.toBeNaN();
      }
    }
    // The webhook-id is the event id, and the same message went to both endpoints.
    const completed = await reseller.client.events.list.query({ type: "order.completed", accountId: customer.account.id });
    expect(above.receiver.messages.find((m) => m.body.type === "order.completed")?.id).toBe(completed.items[0]?.id);
    const ofEvent = await reseller.client.webhooks.deliveries.list.query({ eventId: completed.items[0]!.id });
    expect(ofEvent.items).toEqual([expect.objectContaining({ endpointId: above.endpoint.id, status: "succeeded", attempts: 1 })]);
    expect(beside.receiver.requests).toBe(0);
    expect(await deliveryOf(sibling.client, beside.endpoint.id)).toEqual([]);
    // Keep the provider's endpoint from seeing the other tests' events.
    await api.provider.webhooks.endpoints.delete.mutate({ id: top.endpoint.id });
  });

  it("retries a receiver that answers 500 and then 200, logging both attempts under one webhook-id", async () => {
    const reseller = await api.account("reseller");
    const { receiver, endpoint } = await endpointFor(reseller.client, {
      eventTypes: ["account.created"],
      answer: (n) => (n === 1 ? { status: 500, body: "database down" } : { status: 200, body: "ok" }),
    });
    const customer = await api.account("customer", { as: reseller.client });
    const delivery = await vi.waitFor(
      async () => {
        const [d] = await deliveryOf(reseller.client, endpoint.id);
        expect(d?.status).toBe("succeeded");
        return d!;
      },
      { timeout: 15_000, interval: 50 },
    );
    const detail = await reseller.client.webhooks.deliveries.get.query({ id: delivery.id });
    expect(detail).toMatchObject({ status: "succeeded", attempts: 2, lastStatus: 200, lastError: null, eventType: "account.created" });
    expect(detail.attemptLog).toEqual([
      expect.objectContaining({ statusCode: 500, responseBody: "database down", durationMs: expect.any(Number) }),
      expect.objectContaining({ statusCode: 200, responseBody: "ok", error: null }),
    ]);
    expect(receiver.messages).toHaveLength(2);
    expect(receiver.messages[0]!.id).toBe(receiver.messages[1]!.id);
    expect(receiver.messages.every((m) => m.verifiedWith.length === 1 && m.body.data.id === customer.account.id)).toBe(true);
  });

  it("waits as Retry-After says on 429", async () => {
    const reseller = await api.account("reseller");
    const { endpoint } = await endpointFor(reseller.client, {
      eventTypes: ["account.created"],
      answer: () => ({ status: 429, headers: { "retry-after": "30" } }),
    });
    await api.account("customer", { as: reseller.client });
    const delivery = await vi.waitFor(
      async () => {
        const [d] = await deliveryOf(reseller.client, endpoint.id);
        expect(d).toMatchObject({ status: "pending", attempts: 1, lastStatus: 429 });
        return reseller.client.webhooks.deliveries.get.query({ id: d!.id });
      },
      { timeout: 15_000, interval: 50 },
    );
    // The scaled schedule alone would have retried after about 5 ms.
    expect(Date.parse(delivery.nextAttemptAt!) - Date.parse(delivery.attemptLog[0]!.attemptedAt)).toBe(30_000);
  });

  it("disables an endpoint that answers 410 at once, with a webhook.endpoint.disabled event", async () => {
    const reseller = await api.account("reseller");
    const { receiver, endpoint } = await endpointFor(reseller.client, { eventTypes: ["account.created"], answer: () => ({ status: 410 }) });
    await api.account("customer", { as: reseller.client });
    await vi.waitFor(
      async () => {
        expect(await reseller.client.webhooks.endpoints.get.query({ id: endpoint.id })).toMatchObject({
          enabled: false,
          disabledReason: expect.stringMatching(/410/),
        });
      },
      { timeout: 15_000, interval: 50 },
    );
    const [delivery] = await deliveryOf(reseller.client, endpoint.id);
    expect(delivery).toMatchObject({ status: "failed", attempts: 1, lastStatus: 410 });
    const events = await reseller.client.events.list.query({ type: "webhook.endpoint.disabled", accountId: reseller.account.id });
    expect(events.items.map((e) => (e.data as { id: string }).id)).toEqual([endpoint.id]);
    expect(receiver.requests).toBe(1);
  });

  it("disables an endpoint after five days of continuous failure", async () => {
    const reseller = await api.account("reseller");
    const { endpoint } = await endpointFor(reseller.client, { eventTypes: ["account.created"], answer: () => ({ status: 500 }) });
    // The endpoint has been failing for (scaled) five days and more: the next failure disables it.
    await api.db
      .updateTable("webhook_endpoints")
      .set({ failing_since: new Date(Date.now() - 5 * 24 * 3_600_000 * settings.retryScale - 1000) })
      .where("id", "=", endpoint.id)
      .execute();
    await api.account("customer", { as: reseller.client });
    await vi.waitFor(
      async () => {
        expect(await reseller.client.webhooks.endpoints.get.query({ id: endpoint.id })).toMatchObject({
          enabled: false,
          disabledReason: expect.stringMatching(/failing continuously/),
        });
      },
      { timeout: 15_000, interval: 50 },
    );
    const events = await reseller.client.events.list.query({ type: "webhook.endpoint.disabled", accountId: reseller.account.id });
    expect(events.items).toHaveLength(1);
  });

  it("does not let a receiver that hangs delay another endpoint's deliveries", async () => {
    const reseller = await api.account("reseller");
    const hanging = await endpointFor(reseller.client, { eventTypes: ["account.created"], answer: () => "hang" });
    const fast = await endpointFor(reseller.client, { eventTypes: ["account.created"] });
    const count = 12;
    for (let i = 0; i < count; i++) await api.account("customer", { as: reseller.client });
    // Every delivery to the fast endpoint arrives while the hanging one still holds its requests.
    await vi.waitFor(
      () => {
        expect(fast.receiver.messages).toHaveLength(count);
        expect(hanging.receiver.hanging).toBeGreaterThan(0);
      },
      { timeout: 15_000, interval: 50 },
    );
    expect(fast.receiver.unverified).toEqual([]);
    // The per-endpoint limit: never more than two requests at once to the hanging receiver.
    expect(hanging.receiver.requests).toBeLessThanOrEqual(2);
    await reseller.client.webhooks.endpoints.disable.mutate({ id: hanging.endpoint.id });
  });

  it("signs with both the old and the new secret during a rotation", async () => {
    const reseller = await api.account("reseller");
    const { receiver, endpoint, secret: oldSecret, secrets } = await endpointFor(reseller.client, { eventTypes: ["account.created"] });
    const rotated = await reseller.client.webhooks.endpoints.rotateSecret.mutate({ id: endpoint.id });
    secrets.push(rotated.secret);
    await api.account("customer", { as: reseller.client });
    await vi.waitFor(() => expect(receiver.messages).toHaveLength(1), { timeout: 15_000, interval: 50 });
    expect(receiver.messages[0]!.signature.split(" ")).toHaveLength(2);
    expect(receiver.messages[0]!.verifiedWith).toEqual([oldSecret, rotated.secret]);
  });

  it("recover re-sends what a disabled endpoint missed, and a delivery can be re-sent by hand", async () => {
    const reseller = await api.account("reseller");
    const since = new Date(Date.now() - 1000).toISOString();
    let gone = true;
    const { receiver, endpoint } = await endpointFor(reseller.client, {
      eventTypes: ["account.created"],
      answer: () => (gone ? { status: 410 } : { status: 204 }),
    });
    const first = await api.account("customer", { as: reseller.client });
    await vi.waitFor(async () => expect((await reseller.client.webhooks.endpoints.get.query({ id: endpoint.id })).enabled).toBe(false), {
      timeout: 15_000,
      interval: 50,
    });
    // While disabled, nothing is sent.
    const missed = [await api.account("customer", { as: reseller.client }), await api.account("customer", { as: reseller.client })];
    expect(await reseller.client.webhooks.endpoints.recover.mutate({ id: endpoint.id, since }).catch((e) => e.data.code)).toBe(
      "PRECONDITION_FAILED",
    );

    gone = false;
    await reseller.client.webhooks.endpoints.enable.mutate({ id: endpoint.id });
    const { queued } = await reseller.client.webhooks.endpoints.recover.mutate({ id: endpoint.id, since });
    expect(queued).toBe(3);
    const wanted = [first, ...missed].map((c) => c.account.id).sort();
    await vi.waitFor(
      async () => {
        const deliveries = await deliveryOf(reseller.client, endpoint.id);
        expect(deliveries.map((d) => d.status)).toEqual(["succeeded", "succeeded", "succeeded"]);
      },
      { timeout: 15_000, interval: 50 },
    );
    // The first event twice (410, then recovered), the two missed ones once, all verified.
    expect(receiver.messages).toHaveLength(4);
    expect(receiver.unverified).toEqual([]);
    expect([...new Set(receiver.messages.map((m) => m.body.data.id as string))].sort()).toEqual(wanted);
    // A second recover finds nothing missing.
    expect((await reseller.client.webhooks.endpoints.recover.mutate({ id: endpoint.id, since })).queued).toBe(0);

    const [latest] = await deliveryOf(reseller.client, endpoint.id);
    const before = receiver.requests;
    await reseller.client.webhooks.deliveries.retry.mutate({ id: latest!.id });
    await vi.waitFor(() => expect(receiver.requests).toBe(before + 1), { timeout: 15_000, interval: 50 });
    expect(receiver.messages.at(-1)!.id).toBe(latest!.messageId);
  });

  it("refuses a payload over 256 KiB at the source, recording the delivery as failed", async () => {
    const reseller = await api.account("reseller");
    const { receiver, endpoint } = await endpointFor(reseller.client, { eventTypes: ["account.updated"] });
    await insertEvent(api.db, {
      type: "account.updated",
      origin: systemOrigin("test"),
      account: {
        id: reseller.account.id,
        path: (await api.db.selectFrom("accounts").select("path").where("id", "=", reseller.account.id).executeTakeFirstOrThrow()).path,
      },
      data: { id: reseller.account.id, notes: "x".repeat(300 * 1024) },
    });
    const delivery = await vi.waitFor(
      async () => {
        const [d] = await deliveryOf(reseller.client, endpoint.id);
        expect(d).toBeDefined();
        return d!;
      },
      { timeout: 15_000, interval: 50 },
    );
    expect(delivery).toMatchObject({ status: "failed", attempts: 0, lastError: expect.stringMatching(/256 KiB/) });
    expect(receiver.requests).toBe(0);
  });
});
