import { appRouter, createCallerFactory, createContextInner } from "@canopy/api";
import { type Receiver, startReceiver } from "@canopy/api/testing";
import { auth } from "@canopy/domain/identity";
import { webhookSettings } from "@canopy/domain/messaging";
import { insertEvents, systemOrigin } from "@canopy/domain/shared";
import { TRPCError } from "@trpc/server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Api, codeOf, startApi } from "./harness";

// The API with WEBHOOK_ALLOW_PRIVATE_URLS on, so endpoints may point at receivers on 127.0.0.1.
let api: Api;
const receivers: Receiver[] = [];
beforeAll(async () => {
  api = await startApi({ webhooks: { allowPrivateUrls: true, timeoutMs: 5_000 } });
});
afterAll(async () => {
  await Promise.all(receivers.map((r) => r.close()));
  await api?.close();
});

/** The tRPC code a server-side call failed with. */
async function callerCode(call: Promise<unknown>): Promise<string> {
  try {
    await call;
    return "OK";
  } catch (error) {
    if (error instanceof TRPCError) return error.code;
    throw error;
  }
}

async function receiver(opts: Parameters<typeof startReceiver>[0] = {}) {
  const r = await startReceiver(opts);
  receivers.push(r);
  return r;
}

describe("webhook endpoints", () => {
  it("shows the whsec_ secret once at creation and keeps it sealed at rest", async () => {
    const reseller = await api.account("reseller");
    const created = await reseller.client.webhooks.endpoints.create.mutate({
      url: "http://127.0.0.1:9/hooks",
      description: "CRM",
      eventTypes: ["order.created", "order.completed"],
    });
    expect(created.secret).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);
    expect(created.endpoint).toMatchObject({
      id: expect.stringMatching(/^whe_/),
      accountId: reseller.account.id,
      url: "http://127.0.0.1:9/hooks",
      description: "CRM",
      eventTypes: ["order.created", "order.completed"],
      enabled: true,
      disabledReason: null,
    });
    const got = await reseller.client.webhooks.endpoints.get.query({ id: created.endpoint.id });
    expect(JSON.stringify(got)).not.toContain(created.secret);
    const row = await api.db.selectFrom("webhook_endpoints").selectAll().where("id", "=", created.endpoint.id).executeTakeFirstOrThrow();
    expect(JSON.stringify(row)).not.toContain(created.secret.slice(6));
  });

  it("lets the provider and resellers manage their own endpoints only", async () => {
    const reseller = await api.account("reseller");
    const sibling = await api.account("reseller");
    const customer = await api.account("customer", { as: reseller.client });
    const { endpoint } = await reseller.client.webhooks.endpoints.create.mutate({ url: "http://127.0.0.1:9/a" });
    const providerOwn = await api.provider.webhooks.endpoints.create.mutate({ url: "http://127.0.0.1:9/p" });

    for (const other of [sibling.client, api.provider]) {
      expect(await codeOf(other.webhooks.endpoints.get.query({ id: endpoint.id }))).toBe("NOT_FOUND");
      expect(await codeOf(other.webhooks.endpoints.delete.mutate({ id: endpoint.id }))).toBe("NOT_FOUND");
      expect(await codeOf(other.webhooks.endpoints.rotateSecret.mutate({ id: endpoint.id }))).toBe("NOT_FOUND");
    }
    expect(await codeOf(reseller.client.webhooks.endpoints.get.query({ id: providerOwn.endpoint.id }))).toBe("NOT_FOUND");
    expect(await codeOf(customer.client.webhooks.endpoints.create.mutate({ url: "http://127.0.0.1:9/c" }))).toBe("FORBIDDEN");
    const serviceUser = await api.user(reseller.account.id, "service");
    expect(await codeOf(serviceUser.client.webhooks.endpoints.list.query())).toBe("FORBIDDEN");

    expect((await reseller.client.webhooks.endpoints.list.query()).items.map((e) => e.id)).toEqual([endpoint.id]);
    expect((await sibling.client.webhooks.endpoints.list.query()).items).toEqual([]);
  });

  it("updates, disables, enables and deletes", async () => {
    const reseller = await api.account("reseller");
    const { endpoint } = await reseller.client.webhooks.endpoints.create.mutate({ url: "http://127.0.0.1:9/a" });
    const updated = await reseller.client.webhooks.endpoints.update.mutate({
      id: endpoint.id,
      url: "http://127.0.0.1:9/b",
      description: "moved",
      eventTypes: ["account.created"],
    });
    expect(updated).toMatchObject({ url: "http://127.0.0.1:9/b", description: "moved", eventTypes: ["account.created"] });
    expect(await reseller.client.webhooks.endpoints.disable.mutate({ id: endpoint.id, reason: "maintenance" })).toMatchObject({
      enabled: false,
      disabledReason: "maintenance",
    });
    expect((await reseller.client.webhooks.endpoints.list.query({ enabled: false })).items).toHaveLength(1);
    expect(await reseller.client.webhooks.endpoints.enable.mutate({ id: endpoint.id })).toMatchObject({
      enabled: true,
      disabledReason: null,
    });
    await reseller.client.webhooks.endpoints.delete.mutate({ id: endpoint.id });
    expect(await codeOf(reseller.client.webhooks.endpoints.get.query({ id: endpoint.id }))).toBe("NOT_FOUND");
  });

  it("refuses link-local and metadata addresses even where private ones are allowed, and bad input", async () => {
    const reseller = await api.account("reseller");
    const create = (url: string) => reseller.client.webhooks.endpoints.create.mutate({ url });
    for (const url of [
      "http://169.254.169.254/latest/meta-data",
      "http://[fe80::1]/",
      "http://0.0.0.0:80/",
      "http://[::ffff:169.254.169.254]/",
      "ftp://127.0.0.1/",
      "not a url",
    ]) {
      expect(await codeOf(create(url)), url).toBe("BAD_REQUEST");
    }
    expect(
      await codeOf(reseller.client.webhooks.endpoints.create.mutate({ url: "http://127.0.0.1:9/", eventTypes: ["no.such" as never] })),
    ).toBe("BAD_REQUEST");
    const { endpoint } = await create("http://127.0.0.1:9/ok");
    expect(await codeOf(reseller.client.webhooks.endpoints.update.mutate({ id: endpoint.id, url: "http://169.254.169.254/" }))).toBe(
      "BAD_REQUEST",
    );
  });

  it("refuses 127.0.0.1 and 10.0.0.1 without the private-URL allowance (checked at registration, nothing sent)", async () => {
    const reseller = await api.account("reseller");
    const actor = await auth.authenticate(api.db, reseller.key);
    const strict = createCallerFactory(appRouter)(
      createContextInner({ db: api.db, actor, webhooks: webhookSettings({ allowPrivateUrls: false }) }),
    );
    for (const url of [
      "https://127.0.0.1/hooks",
      "https://10.0.0.1/hooks",
      "https://localhost/hooks",
      "https://169.254.169.254/",
      "http://93.184.216.34/",
    ]) {
      expect(await callerCode(strict.webhooks.endpoints.create({ url })), url).toBe("BAD_REQUEST");
    }
    await expect(strict.webhooks.endpoints.create({ url: "https://10.0.0.1/hooks" })).rejects.toThrow(/10\.0\.0\.1 is a private address/);
    // A public HTTPS address is accepted (never called here).
    await expect(strict.webhooks.endpoints.create({ url: "https://93.184.216.34/hooks" })).resolves.toMatchObject({
      endpoint: { enabled: true },
    });
  });
});

describe("test messages, the delivery log and secret rotation", () => {
  it("sends a signed test message that the Standard Webhooks library verifies, and logs the attempt", async () => {
    const reseller = await api.account("reseller");
    const secrets: string[] = [];
    const r = await receiver({ secrets, answer: () => ({ status: 200, body: "thanks" }) });
    const { endpoint, secret } = await reseller.client.webhooks.endpoints.create.mutate({ url: r.url });
    secrets.push(secret);
    const delivery = await reseller.client.webhooks.endpoints.sendTest.mutate({ id: endpoint.id, data: { hello: "world" } });
    expect(delivery).toMatchObject({ status: "succeeded", attempts: 1, lastStatus: 200, eventType: "webhook.test", eventId: null });
    expect(delivery.attemptLog).toEqual([
      expect.objectContaining({ statusCode: 200, responseBody: "thanks", error: null, durationMs: expect.any(Number) }),
    ]);
    expect(r.messages).toHaveLength(1);
    expect(r.messages[0]).toMatchObject({
      id: delivery.messageId,
      verifiedWith: [secret],
      body: { type: "webhook.test", data: { hello: "world" } },
    });

    const listed = await reseller.client.webhooks.deliveries.list.query({ endpointId: endpoint.id });
    expect(listed.items.map((d) => d.id)).toEqual([delivery.id]);
    expect(await reseller.client.webhooks.deliveries.get.query({ id: delivery.id })).toMatchObject({ attemptLog: [{ statusCode: 200 }] });
    const sibling = await api.account("reseller");
    expect(await codeOf(sibling.client.webhooks.deliveries.get.query({ id: delivery.id }))).toBe("NOT_FOUND");
    expect(await codeOf(sibling.client.webhooks.deliveries.list.query({ endpointId: endpoint.id }))).toBe("NOT_FOUND");
  });

  it("records a failing answer with the first KiB of the response, and does not follow redirects", async () => {
    const reseller = await api.account("reseller");
    const r = await receiver({
      answer: (n) =>
        n === 1 ? { status: 500, body: "x".repeat(5000) } : { status: 302, headers: { location: "http://169.254.169.254/" } },
    });
    const { endpoint } = await reseller.client.webhooks.endpoints.create.mutate({ url: r.url });
    const failed = await reseller.client.webhooks.endpoints.sendTest.mutate({ id: endpoint.id });
    expect(failed).toMatchObject({ status: "failed", lastStatus: 500, attempts: 1 });
    expect(failed.attemptLog[0]?.responseBody).toBe("x".repeat(1024));
    const redirected = await reseller.client.webhooks.endpoints.sendTest.mutate({ id: endpoint.id });
    expect(redirected).toMatchObject({ status: "failed", lastStatus: 302 });
    expect(r.requests).toBe(2);
    const failedOnes = await reseller.client.webhooks.deliveries.list.query({ status: "failed" });
    expect(failedOnes.items.map((d) => d.id)).toEqual([redirected.id, failed.id]);
    expect((await reseller.client.webhooks.deliveries.list.query({ status: "succeeded" })).items).toEqual([]);
  });

  it("refuses a payload over 256 KiB at the source", async () => {
    const reseller = await api.account("reseller");
    const r = await receiver();
    const { endpoint } = await reseller.client.webhooks.endpoints.create.mutate({ url: r.url });
    const error = reseller.client.webhooks.endpoints.sendTest.mutate({ id: endpoint.id, data: { blob: "x".repeat(300 * 1024) } });
    await expect(error).rejects.toThrow(/256 KiB/);
    expect(
      await codeOf(reseller.client.webhooks.endpoints.sendTest.mutate({ id: endpoint.id, data: { blob: "x".repeat(300 * 1024) } })),
    ).toBe("BAD_REQUEST");
    expect(r.requests).toBe(0);
  });

  it("signs with both the old and the new secret for 24 hours after a rotation", async () => {
    const reseller = await api.account("reseller");
    const secrets: string[] = [];
    const r = await receiver({ secrets });
    const { endpoint, secret: oldSecret } = await reseller.client.webhooks.endpoints.create.mutate({ url: r.url });
    const rotated = await reseller.client.webhooks.endpoints.rotateSecret.mutate({ id: endpoint.id });
    expect(rotated.secret).not.toBe(oldSecret);
    const expires = Date.parse(rotated.endpoint.previousSecretExpiresAt ?? "");
    expect(expires - Date.now()).toBeGreaterThan(23.9 * 3_600_000);
    expect(expires - Date.now()).toBeLessThanOrEqual(24 * 3_600_000);
    secrets.push(oldSecret, rotated.secret);
    await reseller.client.webhooks.endpoints.sendTest.mutate({ id: endpoint.id });
    expect(r.messages[0]?.signature.split(" ")).toHaveLength(2);
    expect(r.messages[0]?.verifiedWith).toEqual([oldSecret, rotated.secret]);

    // Once the overlap is over, only the new secret signs.
    await api.db
      .updateTable("webhook_endpoints")
      .set({ previous_secret_expires_at: new Date(Date.now() - 1000) })
      .where("id", "=", endpoint.id)
      .execute();
    await reseller.client.webhooks.endpoints.sendTest.mutate({ id: endpoint.id });
    expect(r.messages[1]?.verifiedWith).toEqual([rotated.secret]);
  });

  it("recovers thousands of missed events in one call (never over Postgres' parameter limit)", async () => {
    const reseller = await api.account("reseller");
    const since = new Date(Date.now() - 1000).toISOString();
    const { endpoint } = await reseller.client.webhooks.endpoints.create.mutate({
      url: "http://127.0.0.1:9/hooks",
      eventTypes: ["account.updated"],
    });
    const { path } = await api.db.selectFrom("accounts").select("path").where("id", "=", reseller.account.id).executeTakeFirstOrThrow();
    const count = 9_500;
    for (let i = 0; i < count; i += 2_000) {
      await insertEvents(
        api.db,
        Array.from({ length: Math.min(2_000, count - i) }, (_, j) => ({
          type: "account.updated" as const,
          origin: systemOrigin("test"),
          account: { id: reseller.account.id, path },
          data: { id: reseller.account.id, n: i + j },
        })),
      );
    }
    expect(await reseller.client.webhooks.endpoints.recover.mutate({ id: endpoint.id, since })).toEqual({ queued: count });
    expect(await reseller.client.webhooks.endpoints.recover.mutate({ id: endpoint.id, since })).toEqual({ queued: 0 });
    const pending = await reseller.client.webhooks.deliveries.list.query({ endpointId: endpoint.id, status: "pending", limit: 200 });
    expect(pending.items).toHaveLength(200);
    expect(pending.nextCursor).not.toBeNull();
  });
});

describe("deliveries across the administrator's reach", () => {
  /**
   * provider → North (reseller) → North Sub (reseller) and North's customer; South is North's
   * sibling. North Sub's endpoint answers 500, so its test message fails.
   */
  async function failedDeliveryBelowNorth() {
    const north = await api.account("reseller", { name: `North ${api.unique()}` });
    const south = await api.account("reseller", { name: `South ${api.unique()}` });
    const sub = await api.account("reseller", { as: north.client, name: `North Sub ${api.unique()}` });
    const customer = await api.account("customer", { as: north.client });
    const r = await receiver({ answer: () => ({ status: 500, body: "down" }) });
    const { endpoint } = await sub.client.webhooks.endpoints.create.mutate({ url: r.url });
    const failed = await sub.client.webhooks.endpoints.sendTest.mutate({ id: endpoint.id });
    expect(failed).toMatchObject({ status: "failed", lastStatus: 500 });
    return { north, south, sub, customer, endpoint, failed, receiver: r };
  }

  it("lists the subtree's deliveries with each endpoint's owner for the provider and the resellers above, never for a sibling", async () => {
    const { north, south, sub, endpoint, failed } = await failedDeliveryBelowNorth();
    const ids = async (client: typeof api.provider, input: Parameters<typeof api.provider.webhooks.deliveries.list.query>[0]) =>
      (await client.webhooks.deliveries.list.query({ limit: 200, ...input })).items.map((d) => d.id);

    const listed = await api.provider.webhooks.deliveries.list.query({ scope: "subtree", status: "failed", limit: 200 });
    expect(listed.items.find((d) => d.id === failed.id)).toMatchObject({
      endpointId: endpoint.id,
      endpointUrl: endpoint.url,
      account: { id: sub.account.id, name: sub.account.name },
      status: "failed",
      attempts: 1,
      lastStatus: 500,
    });
    expect(await ids(north.client, { scope: "subtree", status: "failed" })).toContain(failed.id);
    expect(await ids(north.client, { scope: "subtree", endpointId: endpoint.id })).toEqual([failed.id]);
    // Own (the default) stays what it was: the caller's own endpoints only.
    expect(await ids(api.provider, { status: "failed" })).not.toContain(failed.id);
    expect(await ids(north.client, {})).toEqual([]);
    expect(await codeOf(north.client.webhooks.deliveries.list.query({ endpointId: endpoint.id }))).toBe("NOT_FOUND");
    expect((await sub.client.webhooks.deliveries.list.query({})).items[0]).toMatchObject({
      id: failed.id,
      account: { id: sub.account.id, name: sub.account.name },
    });
    // A status filter narrows the subtree too.
    expect(await ids(api.provider, { scope: "subtree", status: "succeeded" })).not.toContain(failed.id);

    // The sibling's subtree does not hold North Sub: nothing listed, its endpoint unknown.
    expect(await ids(south.client, { scope: "subtree" })).toEqual([]);
    expect(await codeOf(south.client.webhooks.deliveries.list.query({ scope: "subtree", endpointId: endpoint.id }))).toBe("NOT_FOUND");
  });

  it("lets the provider and the resellers above read and retry a delivery below them; siblings get NOT_FOUND, customers FORBIDDEN", async () => {
    const { north, south, sub, customer, failed } = await failedDeliveryBelowNorth();

    expect(await api.provider.webhooks.deliveries.get.query({ id: failed.id })).toMatchObject({
      id: failed.id,
      attemptLog: [{ statusCode: 500, responseBody: "down" }],
    });
    expect(await north.client.webhooks.deliveries.get.query({ id: failed.id })).toMatchObject({ id: failed.id });

    expect(await codeOf(south.client.webhooks.deliveries.get.query({ id: failed.id }))).toBe("NOT_FOUND");
    expect(await codeOf(south.client.webhooks.deliveries.retry.mutate({ id: failed.id }))).toBe("NOT_FOUND");
    // A reseller below cannot reach up either.
    const providerEndpoint = await api.provider.webhooks.endpoints.create.mutate({ url: "http://127.0.0.1:9/p" });
    const providerTest = await api.provider.webhooks.endpoints.sendTest.mutate({ id: providerEndpoint.endpoint.id });
    expect(await codeOf(sub.client.webhooks.deliveries.get.query({ id: providerTest.id }))).toBe("NOT_FOUND");
    expect(await codeOf(north.client.webhooks.deliveries.retry.mutate({ id: providerTest.id }))).toBe("NOT_FOUND");
    // Customers manage no webhooks: refused before any lookup, as everywhere else in webhooks.
    expect(await codeOf(customer.client.webhooks.deliveries.list.query({ scope: "subtree" }))).toBe("FORBIDDEN");
    expect(await codeOf(customer.client.webhooks.deliveries.get.query({ id: failed.id }))).toBe("FORBIDDEN");
    expect(await codeOf(customer.client.webhooks.deliveries.retry.mutate({ id: failed.id }))).toBe("FORBIDDEN");
    const northService = await api.user(north.account.id, "service");
    expect(await codeOf(northService.client.webhooks.deliveries.retry.mutate({ id: failed.id }))).toBe("FORBIDDEN");

    expect(await codeOf(north.client.webhooks.deliveries.retry.mutate({ id: failed.id }))).toBe("OK");
    const reopened = await api.provider.webhooks.deliveries.get.query({ id: failed.id });
    expect(reopened).toMatchObject({ status: "pending", attempts: 1 });
    expect(Date.parse(reopened.nextAttemptAt ?? "")).toBeLessThanOrEqual(Date.now() + 1000);
    expect(await api.provider.webhooks.deliveries.retry.mutate({ id: failed.id })).toMatchObject({ status: "pending" });
  });

  it("serves the subtree over REST: GET /webhooks/deliveries?scope=subtree&status=failed", async () => {
    const { sub, failed } = await failedDeliveryBelowNorth();
    const { secret } = await api.provider.apiKeys.create.mutate({ name: "operator" });
    const get = (query: string) =>
      fetch(`${api.url}/api/v1/webhooks/deliveries?${query}`, { headers: { authorization: `Bearer ${secret}` } }).then(async (r) => ({
        status: r.status,
        // biome-ignore lint/suspicious/noExplicitAny: read field by field
        body: (await r.json()) as any,
      }));
    const subtree = await get("scope=subtree&status=failed&limit=200");
    expect(subtree.status).toBe(200);
    expect(subtree.body.items.find((d: { id: string }) => d.id === failed.id)).toMatchObject({
      account: { id: sub.account.id, name: sub.account.name },
    });
    const own = await get("status=failed&limit=200");
    expect(own.body.items.map((d: { id: string }) => d.id)).not.toContain(failed.id);
    expect((await get("scope=everyone")).status).toBe(400);
    const retried = await fetch(`${api.url}/api/v1/webhooks/deliveries/${failed.id}/retry`, {
      method: "POST",
      headers: { authorization: `Bearer ${secret}` },
    });
    expect(retried.status).toBe(200);
    expect(await retried.json()).toMatchObject({ id: failed.id, status: "pending" });
  });
});
