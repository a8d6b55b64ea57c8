import type { AddressInfo } from "node:net";
import { provision, publishedProduct } from "@canopy/api/testing";
import { type Database, sql } from "@canopy/db";
import { createCanopyClient } from "@canopy/sdk";
import { Kysely, PostgresDialect } from "kysely";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildServer } from "../src/server";
import { type Api, codeOf, startApi } from "./harness";

let api: Api;
beforeAll(async () => {
  api = await startApi();
});
afterAll(() => api?.close());

describe("orders.place", () => {
  it("records a submitted sales order with priced items, pending subscriptions and their events", async () => {
    const office = await publishedProduct(api, { msrp: { amount: 1250, currency: "USD" } });
    const backup = await publishedProduct(api, { msrp: { amount: 300, currency: "USD" }, unit: "GB", maxQuantity: 1000 });
    const reseller = await api.account("reseller");
    const customer = await api.account("customer", { as: reseller.client });
    await reseller.client.prices.set.mutate({ mpn: office.mpn, price: { amount: 1100, currency: "USD" } });

    const order = await reseller.client.orders.place.mutate({
      accountId: customer.account.id,
      items: [
        { mpn: office.mpn, quantity: 5 },
        { mpn: backup.mpn, quantity: 200 },
      ],
    });
    expect(order).toMatchObject({
      accountId: customer.account.id,
      type: "sales",
      status: "submitted",
      total: { amount: 5 * 1100 + 200 * 300, currency: "USD" },
      placedBy: expect.stringMatching(/^key_/),
      subscriptionId: null,
      errorMessage: null,
      idempotencyKey: null,
      items: [
        { mpn: office.mpn, quantity: 5, unitPrice: { amount: 1100, currency: "USD" }, total: { amount: 5500, currency: "USD" } },
        { mpn: backup.mpn, quantity: 200, unitPrice: { amount: 300, currency: "USD" }, total: { amount: 60000, currency: "USD" } },
      ],
    });
    expect(order.id).toMatch(/^ord_/);
    expect(await customer.client.orders.get.query({ id: order.id })).toEqual(order);

    const subs = await customer.client.subscriptions.list.query();
    expect(subs.items.map((s) => [s.id, s.status, s.quantity, s.mpn]).sort()).toEqual(
      order.items.map((i) => [i.subscriptionId, "pending", i.quantity, i.mpn]).sort(),
    );

    const events = await reseller.client.events.list.query({ accountId: customer.account.id });
    const created = events.items.find((e) => e.type === "order.created")!;
    expect(created.data).toEqual(order);
    expect(
      events.items
        .filter((e) => e.type === "subscription.created")
        .map((e) => (e.data as { id: string }).id)
        .sort(),
    ).toEqual(order.items.map((i) => i.subscriptionId).sort());
  });

  it("gives one order to ten concurrent placements with one idempotency key", async () => {
    const product = await publishedProduct(api);
    const customer = await api.account("customer");
    // Unbatched: ten separate HTTP requests, ten transactions racing on the unique index.
    const client = api.clientFor(customer.key, { batch: false });
    const input = { items: [{ mpn: product.mpn, quantity: 2 }], idempotencyKey: "crm-order-42" };
    const results = await Promise.all(Array.from({ length: 10 }, () => client.orders.place.mutate(input)));
    expect(new Set(results.map((o) => o.id)).size).toBe(1);
    expect(results[0]).toMatchObject({ idempotencyKey: "crm-order-42", status: "submitted" });

    const listed = await customer.client.orders.list.query({ accountId: customer.account.id });
    expect(listed.items.map((o) => o.id)).toEqual([results[0]!.id]);
    expect((await customer.client.subscriptions.list.query()).items).toHaveLength(1);
    const events = await customer.client.events.list.query({ type: "order.created" });
    expect(events.items).toHaveLength(1);

    // A later retry still answers with the first order, even after the product was retired.
    await api.provider.products.retire.mutate({ id: product.id });
    expect((await client.orders.place.mutate(input)).id).toBe(results[0]!.id);
  });

  it("answers CONFLICT when a key is reused with different content, and keys are per account", async () => {
    const product = await publishedProduct(api);
    const a = await api.account("customer");
    const b = await api.account("customer");
    const first = await a.client.orders.place.mutate({ items: [{ mpn: product.mpn, quantity: 1 }], idempotencyKey: "k-1" });
    expect(await codeOf(a.client.orders.place.mutate({ items: [{ mpn: product.mpn, quantity: 2 }], idempotencyKey: "k-1" }))).toBe(
      "CONFLICT",
    );
    const other = await b.client.orders.place.mutate({ items: [{ mpn: product.mpn, quantity: 2 }], idempotencyKey: "k-1" });
    expect(other.id).not.toBe(first.id);
  });

  it("validates the account, the products and the quantities, each with its code", async () => {
    const product = await publishedProduct(api, { minQuantity: 2, maxQuantity: 10 });
    const draft = await api.provider.products.create.mutate({
      mpn: `DRAFT-${api.unique()}`,
      name: "Not yet",
      isvName: "Acme",
      connector: "demo",
      unit: "license",
      billingPeriod: "year",
      minQuantity: 1,
      maxQuantity: 5,
      msrp: { amount: 100, currency: "USD" },
    });
    const retired = await publishedProduct(api);
    await api.provider.products.retire.mutate({ id: retired.id });
    const reseller = await api.account("reseller");
    const customer = await api.account("customer", { as: reseller.client });
    const place = (items: { mpn: string; quantity: number }[], accountId = customer.account.id) =>
      codeOf(reseller.client.orders.place.mutate({ accountId, items }));
    const ok = [{ mpn: product.mpn, quantity: 2 }];

    // Input shape: zod BAD_REQUEST.
    expect(await place([])).toBe("BAD_REQUEST");
    expect(await place([{ mpn: product.mpn, quantity: 0 }])).toBe("BAD_REQUEST");
    expect(
      await codeOf(reseller.client.orders.place.mutate({ accountId: customer.account.id, items: [{ mpn: product.mpn, quantity: 1.5 }] })),
    ).toBe("BAD_REQUEST");
    expect(
      await codeOf(
        reseller.client.orders.place.mutate({
          accountId: customer.account.id,
          items: [{ mpn: product.mpn, quantity: 2 }, { subscriptionId: "sub_x" }],
        }),
      ),
    ).toBe("BAD_REQUEST");
    expect(await codeOf(reseller.client.orders.place.mutate({ accountId: customer.account.id, type: "change", items: ok }))).toBe(
      "BAD_REQUEST",
    );
    // Quantities outside the product's range.
    expect(await place([{ mpn: product.mpn, quantity: 1 }])).toBe("BAD_REQUEST");
    expect(await place([{ mpn: product.mpn, quantity: 11 }])).toBe("BAD_REQUEST");
    // Products: unknown and draft are not found (drafts are invisible), retired is not orderable.
    expect(await place([{ mpn: "NO-SUCH-MPN", quantity: 1 }])).toBe("NOT_FOUND");
    expect(await place([{ mpn: draft.mpn, quantity: 1 }])).toBe("NOT_FOUND");
    expect(
      await codeOf(api.provider.orders.place.mutate({ accountId: customer.account.id, items: [{ mpn: draft.mpn, quantity: 1 }] })),
    ).toBe("PRECONDITION_FAILED");
    expect(await place([{ mpn: retired.mpn, quantity: 1 }])).toBe("PRECONDITION_FAILED");
    // Accounts: unknown, the provider itself.
    expect(await place(ok, "acc_nobody")).toBe("NOT_FOUND");
    expect(await codeOf(api.provider.orders.place.mutate({ items: ok }))).toBe("FORBIDDEN");
    // Subscriptions that do not exist or belong to another account.
    const otherCustomer = await api.account("customer", { as: reseller.client });
    const theirs = await reseller.client.orders.place.mutate({ accountId: otherCustomer.account.id, items: ok });
    await provision(api, theirs.id);
    const change = (subscriptionId: string) =>
      codeOf(reseller.client.orders.place.mutate({ accountId: customer.account.id, items: [{ subscriptionId, quantity: 3 }] }));
    expect(await change("sub_missing")).toBe("NOT_FOUND");
    expect(await change(theirs.items[0]!.subscriptionId!)).toBe("NOT_FOUND");

    expect(await place(ok)).toBe("OK");
    // Nothing but the one good order was recorded.
    expect((await reseller.client.orders.list.query({ accountId: customer.account.id })).items).toHaveLength(1);
  });

  it("honours account statuses: creditHold at or above blocks sales orders, adminHold and cancelled block all", async () => {
    const product = await publishedProduct(api);
    const reseller = await api.account("reseller");
    const customer = await api.account("customer", { as: reseller.client });
    const sales = () => codeOf(customer.client.orders.place.mutate({ items: [{ mpn: product.mpn, quantity: 1 }] }));
    const first = await customer.client.orders.place.mutate({ items: [{ mpn: product.mpn, quantity: 1 }] });
    await provision(api, first.id);
    const subscriptionId = first.items[0]!.subscriptionId!;
    const change = (quantity: number) => codeOf(customer.client.subscriptions.changeQuantity.mutate({ id: subscriptionId, quantity }));

    await api.provider.accounts.setStatus.mutate({ id: reseller.account.id, status: "creditHold" });
    expect(await sales()).toBe("PRECONDITION_FAILED");
    expect(await codeOf(customer.client.orders.estimate.query({ items: [{ mpn: product.mpn, quantity: 1 }] }))).toBe("PRECONDITION_FAILED");
    // A credit hold stops new sales only: changing an existing subscription goes on.
    expect(await change(2)).toBe("OK");

    await api.provider.accounts.setStatus.mutate({ id: reseller.account.id, status: "active" });
    await reseller.client.accounts.setStatus.mutate({ id: customer.account.id, status: "creditHold" });
    expect(await sales()).toBe("PRECONDITION_FAILED");

    await reseller.client.accounts.setStatus.mutate({ id: customer.account.id, status: "adminHold" });
    expect(await sales()).toBe("PRECONDITION_FAILED");
    expect(await codeOf(customer.client.subscriptions.cancel.mutate({ id: subscriptionId }))).toBe("PRECONDITION_FAILED");

    await reseller.client.accounts.setStatus.mutate({ id: customer.account.id, status: "active" });
    expect(await sales()).toBe("OK");

    const events = await reseller.client.events.list.query({ accountId: customer.account.id, type: "account.statusChanged" });
    expect(events.items.map((e) => [(e.data as { previousStatus: string }).previousStatus, (e.data as { status: string }).status])).toEqual(
      [
        ["adminHold", "active"],
        ["creditHold", "adminHold"],
        ["active", "creditHold"],
      ],
    );

    await reseller.client.accounts.setStatus.mutate({ id: customer.account.id, status: "cancelled" });
    // Cancelled is final: its vendor cannot order for it either.
    expect(
      await codeOf(reseller.client.orders.place.mutate({ accountId: customer.account.id, items: [{ mpn: product.mpn, quantity: 1 }] })),
    ).toBe("PRECONDITION_FAILED");
  });

  it("keeps a reseller from ordering for, or reading orders of, another reseller's customer", async () => {
    const product = await publishedProduct(api);
    const mine = await api.account("reseller");
    const theirs = await api.account("reseller");
    const theirCustomer = await api.account("customer", { as: theirs.client });
    const items = [{ mpn: product.mpn, quantity: 1 }];
    expect(await codeOf(mine.client.orders.place.mutate({ accountId: theirCustomer.account.id, items }))).toBe("NOT_FOUND");
    expect(await codeOf(mine.client.orders.estimate.query({ accountId: theirCustomer.account.id, items }))).toBe("NOT_FOUND");
    const order = await theirs.client.orders.place.mutate({ accountId: theirCustomer.account.id, items });
    expect(await codeOf(mine.client.orders.get.query({ id: order.id }))).toBe("NOT_FOUND");
    expect(await codeOf(mine.client.orders.cancel.mutate({ id: order.id }))).toBe("NOT_FOUND");
    expect(await codeOf(mine.client.orders.list.query({ accountId: theirCustomer.account.id }))).toBe("NOT_FOUND");
    expect(await codeOf(mine.client.subscriptions.get.query({ id: order.items[0]!.subscriptionId! }))).toBe("NOT_FOUND");
    // Nor may a customer order for its vendor, nor a service user order at all.
    expect(await codeOf(theirCustomer.client.orders.place.mutate({ accountId: theirs.account.id, items }))).toBe("NOT_FOUND");
    const service = await api.user(theirCustomer.account.id, "service");
    // For its own account it is told why (it knows the account exists); for any other, NOT_FOUND as for everyone.
    expect(await codeOf(service.client.orders.place.mutate({ items }))).toBe("FORBIDDEN");
    expect(await codeOf(service.client.orders.estimate.query({ items }))).toBe("FORBIDDEN");
    expect(await codeOf(service.client.orders.place.mutate({ accountId: theirs.account.id, items }))).toBe("NOT_FOUND");
    expect((await service.client.orders.list.query()).items).toEqual([]);
  });

  it("rolls the order, its items, subscriptions and events back together when a step fails", async () => {
    const product = await publishedProduct(api);
    const customer = await api.account("customer");
    // Fault injection: the last statement of the placement (the events insert) fails for this account.
    await sql`create function fail_order_events() returns trigger language plpgsql as $$
      begin
        if new.type = 'order.created' and new.account_id = ${sql.lit(customer.account.id)} then
          raise exception 'injected failure';
        end if;
        return new;
      end $$`.execute(api.db);
    await sql`create trigger fail_order_events before insert on events for each row execute function fail_order_events()`.execute(api.db);
    const input = { items: [{ mpn: product.mpn, quantity: 3 }], idempotencyKey: "rollback-1" };
    try {
      expect(await codeOf(customer.client.orders.place.mutate(input))).toBe("INTERNAL_SERVER_ERROR");
    } finally {
      await sql`drop trigger fail_order_events on events`.execute(api.db);
      await sql`drop function fail_order_events()`.execute(api.db);
    }
    expect((await customer.client.orders.list.query()).items).toEqual([]);
    expect((await customer.client.subscriptions.list.query()).items).toEqual([]);
    const events = await customer.client.events.list.query({ accountId: customer.account.id });
    expect(events.items.filter((e) => e.type.startsWith("order.") || e.type.startsWith("subscription."))).toEqual([]);
    const items = await sql<{ n: number }>`select count(*)::int as n from order_items i join orders o on o.id = i.order_id
      where o.account_id = ${customer.account.id}`.execute(api.db);
    expect(items.rows[0]!.n).toBe(0);

    // The key was not used up: the retry records the order.
    const order = await customer.client.orders.place.mutate(input);
    expect(order.status).toBe("submitted");
  });
});

describe("orders.place round trips", () => {
  it("uses the same small number of statements for 1 item and for 25", async () => {
    // A second API over the same database whose pool records every statement it sends.
    const { rows } = await sql<{ name: string }>`select current_database() as name`.execute(api.db);
    const url = new URL(process.env.DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/postgres");
    url.pathname = `/${rows[0]!.name}`;
    const statements: string[] = [];
    const pool = new pg.Pool({ connectionString: url.toString(), max: 2 });
    pool.on("connect", (client) => {
      const query = client.query.bind(client) as (...args: unknown[]) => unknown;
      (client as unknown as { query: (...args: unknown[]) => unknown }).query = (...args: unknown[]) => {
        const text = typeof args[0] === "string" ? args[0] : (args[0] as { text: string }).text;
        statements.push(text);
        return query(...args);
      };
    });
    const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
    const app = await buildServer({ db });
    await app.listen({ port: 0, host: "127.0.0.1" });
    try {
      const customer = await api.account("customer");
      const client = createCanopyClient({
        url: `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`,
        apiKey: customer.key,
        batch: false,
      });
      const products = [];
      for (let i = 0; i < 25; i++) products.push(await publishedProduct(api));
      await client.orders.place.mutate({ items: [{ mpn: products[0]!.mpn, quantity: 1 }] }); // warm the pool

      const count = async (input: Parameters<typeof client.orders.place.mutate>[0]) => {
        statements.length = 0;
        await client.orders.place.mutate(input);
        // The placement's transaction, BEGIN to COMMIT (authenticating the key runs before it).
        const words = statements.map((s) => s.trim().split(/\s+/).slice(0, 3).join(" ").toLowerCase());
        return words.slice(words.indexOf("begin"), words.indexOf("commit") + 1);
      };
      const one = await count({ items: [{ mpn: products[1]!.mpn, quantity: 1 }] });
      const many = await count({ items: products.map((p) => ({ mpn: p.mpn, quantity: 1 })) });
      const keyed = await count({ items: products.map((p) => ({ mpn: p.mpn, quantity: 2 })), idempotencyKey: "rt-1" });

      expect(many).toEqual(one);
      // begin · account chain · products with prices · order · subscriptions, items and events (one statement) · commit
      expect(one).toHaveLength(6);
      expect(one[0]).toBe("begin");
      expect(one.at(-1)).toBe("commit");
      // One more with an idempotency key: the lookup of a prior order.
      expect(keyed).toHaveLength(7);
    } finally {
      await app.close();
      await db.destroy();
    }
  });
});

describe("orders read and cancel", () => {
  it("cancels a submitted order and ends the subscriptions it created; only once, and not after the worker took it", async () => {
    const product = await publishedProduct(api);
    const customer = await api.account("customer");
    const order = await customer.client.orders.place.mutate({ items: [{ mpn: product.mpn, quantity: 4 }] });
    const cancelled = await customer.client.orders.cancel.mutate({ id: order.id });
    expect(cancelled).toMatchObject({ id: order.id, status: "cancelled", version: order.version + 1 });
    const sub = await customer.client.subscriptions.get.query({ id: order.items[0]!.subscriptionId! });
    expect(sub.status).toBe("terminated");
    const types = (await customer.client.events.list.query()).items.map((e) => e.type);
    expect(types).toEqual(expect.arrayContaining(["order.cancelled", "subscription.terminated"]));
    expect(await codeOf(customer.client.orders.cancel.mutate({ id: order.id }))).toBe("PRECONDITION_FAILED");

    const taken = await customer.client.orders.place.mutate({ items: [{ mpn: product.mpn, quantity: 1 }] });
    await sql`update orders set status = 'processing' where id = ${taken.id}`.execute(api.db);
    expect(await codeOf(customer.client.orders.cancel.mutate({ id: taken.id }))).toBe("PRECONDITION_FAILED");
  });

  it("lists orders newest first with filters by account, status, type and date, page by page", async () => {
    const product = await publishedProduct(api);
    const reseller = await api.account("reseller");
    const a = await api.account("customer", { as: reseller.client });
    const b = await api.account("customer", { as: reseller.client });
    const placed = [];
    for (const c of [a, b, a, b, a]) placed.push(await c.client.orders.place.mutate({ items: [{ mpn: product.mpn, quantity: 1 }] }));
    await provision(api, placed[0]!.id);
    const ids = async (input: Parameters<typeof reseller.client.orders.list.query>[0]) =>
      (await reseller.client.orders.list.query(input)).items.map((o) => o.id);

    expect(await ids({})).toEqual(placed.map((o) => o.id).reverse());
    expect(await ids({ accountId: a.account.id })).toEqual([placed[4]!.id, placed[2]!.id, placed[0]!.id]);
    expect(await ids({ status: "completed" })).toEqual([placed[0]!.id]);
    expect(await ids({ type: "change" })).toEqual([]);
    expect(await ids({ since: placed[3]!.createdAt })).toEqual([placed[4]!.id, placed[3]!.id]);
    expect(await ids({ until: placed[1]!.createdAt })).toEqual([placed[0]!.id]);

    const seen: string[] = [];
    let cursor: string | undefined;
    do {
      const page = await reseller.client.orders.list.query({ limit: 2, cursor });
      seen.push(...page.items.map((o) => o.id));
      cursor = page.nextCursor ?? undefined;
    } while (cursor);
    expect(seen).toEqual(placed.map((o) => o.id).reverse());
  });
});
