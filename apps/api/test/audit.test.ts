import type { AppRouter } from "@canopy/api";
import { publishedProduct } from "@canopy/api/testing";
import { createTRPCClient, httpLink } from "@trpc/client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Api, startApi } from "./harness";

// The audit trail (docs/events.md#who-did-it): every event names its actor and the request that
// made it, through the real host (Fastify assigns and echoes X-Request-Id) and the real client.
let api: Api;
beforeAll(async () => {
  api = await startApi({ webhooks: { allowPrivateUrls: true } });
});
afterAll(() => api?.close());

/** A client that sends its own X-Request-Id with every call (one call per request: no batching). */
function clientWith(secret: string, requestId: string) {
  return createTRPCClient<AppRouter>({
    links: [httpLink({ url: `${api.url}/trpc`, headers: () => ({ authorization: `Bearer ${secret}`, "x-request-id": requestId }) })],
  });
}

/** A reseller with an API key whose id the test knows (api.account() hands out the secret only). */
async function resellerWithKey() {
  const reseller = await api.account("reseller");
  const { apiKey, secret } = await api.provider.apiKeys.create.mutate({ name: "audited", accountId: reseller.account.id });
  return { ...reseller, keyId: apiKey.id, secret };
}

const uniqueRequestId = () => `req-${api.unique()}`;

describe("the audit trail", () => {
  it("records an order placed with an API key: the key and the X-Request-Id it was sent with", async () => {
    const reseller = await resellerWithKey();
    const customer = await api.account("customer", { as: reseller.client });
    const product = await publishedProduct(api);
    const requestId = uniqueRequestId();

    const order = await clientWith(reseller.secret, requestId).orders.place.mutate({
      accountId: customer.account.id,
      items: [{ mpn: product.mpn, quantity: 2 }],
    });

    const { items } = await reseller.client.events.list.query({
      accountId: customer.account.id,
      types: ["order.created", "subscription.created"],
    });
    expect(items.map((e) => e.type).sort()).toEqual(["order.created", "subscription.created"]);
    for (const event of items) {
      expect(event.actor).toEqual({ type: "api_key", id: reseller.keyId });
      expect(event.requestId).toBe(requestId);
    }
    expect(items.find((e) => e.type === "order.created")?.data).toMatchObject({ id: order.id });
  });

  it("records a change made in a user's session as that user, with the id the host gave the request", async () => {
    const reseller = await api.account("reseller");
    const admin = await api.user(reseller.account.id, "admin");
    const response = await fetch(`${api.url}/trpc/accounts.create`, {
      method: "POST",
      headers: { authorization: `Bearer ${admin.token}`, "content-type": "application/json" },
      body: JSON.stringify({ type: "customer", name: "Session Ltd", contact: { email: "s@example.com" }, address: { country: "DE" } }),
    });
    expect(response.status).toBe(200);
    const hostRequestId = response.headers.get("x-request-id");
    expect(hostRequestId).toBeTruthy();
    const created = ((await response.json()) as { result: { data: { id: string } } }).result.data;

    const { items } = await api.provider.events.list.query({ accountId: created.id, type: "account.created" });
    expect(items).toHaveLength(1);
    expect(items[0]).toMatchObject({ actor: { type: "user", id: admin.user.id }, requestId: hostRequestId });
  });

  it("records the platform's own work as the system, with no request", async () => {
    const { items } = await api.provider.events.list.query({ actorType: "system", accountId: api.providerId });
    expect(items.map((e) => e.type).sort()).toEqual(["account.created", "user.created"]);
    for (const event of items) expect(event).toMatchObject({ actor: { type: "system", id: "system:bootstrap" }, requestId: null });
  });

  it("writes catalog and price events, as the provider's, visible to no reseller", async () => {
    const requestId = uniqueRequestId();
    const client = clientWith(api.providerKey, requestId);
    const mpn = `AUDIT-${api.unique()}`.toUpperCase();
    const created = await client.products.create.mutate({
      mpn,
      name: "Audited Suite",
      isvName: "Acme",
      connector: "demo",
      unit: "license",
      billingPeriod: "month",
      minQuantity: 1,
      maxQuantity: 10,
      msrp: { amount: 900, currency: "USD" },
    });
    const updated = await client.products.update.mutate({ id: created.id, version: created.version, name: "Audited Suite 2" });
    await client.products.publish.mutate({ id: created.id });
    await client.prices.set.mutate({ mpn, price: { amount: 800, currency: "USD" } });
    await client.prices.set.mutate({ mpn, price: { amount: 700, currency: "USD" } });
    await client.prices.remove.mutate({ mpn });

    const products = await api.provider.events.list.query({
      types: ["product.created", "product.updated", "product.statusChanged"],
      limit: 100,
    });
    const ofProduct = products.items.filter((e) => (e.data as { id: string }).id === created.id);
    expect(ofProduct.map((e) => e.type)).toEqual(["product.statusChanged", "product.updated", "product.created"]);
    expect(ofProduct[0]!.data).toMatchObject({ status: "published", previousStatus: "draft" });
    expect(ofProduct[1]!.data).toMatchObject({ name: "Audited Suite 2", version: updated.version });
    const prices = await api.provider.events.list.query({ types: ["price.created", "price.updated", "price.removed"], limit: 100 });
    const ofPrice = prices.items.filter((e) => (e.data as { mpn: string }).mpn === mpn);
    expect(ofPrice.map((e) => [e.type, (e.data as { price: { amount: number } }).price.amount])).toEqual([
      ["price.removed", 700],
      ["price.updated", 700],
      ["price.created", 800],
    ]);
    for (const event of [...ofProduct, ...ofPrice]) {
      expect(event.accountId).toBe(api.providerId);
      expect(event.requestId).toBe(requestId);
      expect(event.actor.type).toBe("api_key");
    }

    const reseller = await api.account("reseller");
    const seen = await reseller.client.events.list.query({ types: ["product.created", "product.updated", "product.statusChanged"] });
    expect(seen.items).toEqual([]);
  });

  it("writes API key and endpoint events that never carry a secret", async () => {
    const reseller = await resellerWithKey();
    const client = clientWith(reseller.secret, uniqueRequestId());
    const key = await client.apiKeys.create.mutate({ name: "short-lived" });
    await client.apiKeys.revoke.mutate({ id: key.apiKey.id });
    await client.apiKeys.revoke.mutate({ id: key.apiKey.id }); // already revoked: no second event
    const made = await client.webhooks.endpoints.create.mutate({ url: "http://127.0.0.1:9/audit" });
    await client.webhooks.endpoints.update.mutate({ id: made.endpoint.id, description: "audited" });
    const rotated = await client.webhooks.endpoints.rotateSecret.mutate({ id: made.endpoint.id });
    await client.webhooks.endpoints.disable.mutate({ id: made.endpoint.id });
    await client.webhooks.endpoints.enable.mutate({ id: made.endpoint.id });
    await client.webhooks.endpoints.delete.mutate({ id: made.endpoint.id });

    const { items } = await reseller.client.events.list.query({ actorId: reseller.keyId, accountId: reseller.account.id });
    expect(items.map((e) => e.type).reverse()).toEqual([
      "apiKey.created",
      "apiKey.revoked",
      "webhook.endpoint.created",
      "webhook.endpoint.updated",
      "webhook.endpoint.secretRotated",
      "webhook.endpoint.disabled",
      "webhook.endpoint.enabled",
      "webhook.endpoint.deleted",
    ]);
    expect(items.at(-1)!.data).toMatchObject({ id: key.apiKey.id, prefix: key.apiKey.prefix });
    expect(items.find((e) => e.type === "webhook.endpoint.updated")!.data).toMatchObject({ description: "audited" });
    // Neither secret, nor any sealed or hashed form of one, is in any payload.
    const rows = await api.db.selectFrom("events").select("data").where("actor_id", "=", reseller.keyId).execute();
    const stored = JSON.stringify(rows.map((r) => r.data));
    for (const secret of [key.secret, made.secret, rotated.secret]) expect(stored).not.toContain(secret);
    expect(stored).not.toMatch(/secret_sealed|key_hash|whsec_|"secret"/);
  });

  it("filters events.list by actor without widening anyone's reach", async () => {
    const one = await resellerWithKey();
    const other = await resellerWithKey();
    await clientWith(one.secret, uniqueRequestId()).accounts.create.mutate({
      type: "customer",
      name: "By key",
      contact: { email: "k@example.com" },
      address: { country: "DE" },
    });
    await api.account("customer", { as: one.client }); // made with another of the reseller's keys

    const byKey = await one.client.events.list.query({ actorId: one.keyId });
    expect(byKey.items.length).toBeGreaterThan(0);
    for (const event of byKey.items) expect(event.actor).toEqual({ type: "api_key", id: one.keyId });
    expect(byKey.items.length).toBeLessThan((await one.client.events.list.query({ limit: 100 })).items.length);

    // The provider sees the key's events; another tree's reseller sees none through the filter.
    const fromAbove = await api.provider.events.list.query({ actorId: one.keyId });
    expect(fromAbove.items.map((e) => e.id)).toEqual(byKey.items.map((e) => e.id));
    expect((await other.client.events.list.query({ actorId: one.keyId })).items).toEqual([]);
    expect((await other.client.events.list.query({ actorType: "api_key", limit: 100 })).items.every((e) => e.actor.id !== one.keyId)).toBe(
      true,
    );
  });

  it("serves the filters and the actor over REST", async () => {
    const reseller = await resellerWithKey();
    const requestId = uniqueRequestId();
    const customer = await clientWith(reseller.secret, requestId).accounts.create.mutate({
      type: "customer",
      name: "Rest Ltd",
      contact: { email: "r@example.com" },
      address: { country: "DE" },
    });
    const query = new URLSearchParams({ actorId: reseller.keyId, actorType: "api_key", types: "account.created,account.updated" });
    const response = await fetch(`${api.url}/api/v1/events?${query}`, { headers: { authorization: `Bearer ${reseller.secret}` } });
    expect(response.status).toBe(200);
    const body = (await response.json()) as { items: unknown[] };
    expect(body.items).toEqual([
      expect.objectContaining({
        type: "account.created",
        accountId: customer.id,
        actor: { type: "api_key", id: reseller.keyId },
        requestId,
      }),
    ]);
    const refused = await fetch(`${api.url}/api/v1/events?actorType=robot`, { headers: { authorization: `Bearer ${reseller.secret}` } });
    expect(refused.status).toBe(400);
  });
});
