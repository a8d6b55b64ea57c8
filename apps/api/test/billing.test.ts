import { closeMonths } from "@canopy/domain/billing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildChain, completeSales, type Node } from "./billing-support";
import { type Api, codeOf, startApi } from "./harness";

let api: Api;
let chain: Node[]; // provider, reseller, sub-reseller, customer
let sibling: Node; // another reseller under the provider
let siblingCustomer: Node;
let payg: { id: string; mpn: string };
let paygSubscription: string;
let licenceSubscription: string;

const OCT = Date.UTC(2026, 9, 1);
const DAY = 86_400_000;
const octDay = (d: number) => new Date(OCT + (d - 1) * DAY).toISOString();

beforeAll(async () => {
  api = await startApi();
  chain = await buildChain(api, 3);
  const made = await api.account("reseller");
  sibling = { id: made.account.id, client: made.client };
  const sc = await api.account("customer", { vendorId: sibling.id });
  siblingCustomer = { id: sc.account.id, client: sc.client };

  const licence = await api.provider.products.create.mutate({
    mpn: `LIC-${api.unique()}`.toUpperCase(),
    name: "Seats",
    isvName: "Acme",
    connector: "demo",
    unit: "seat",
    billingPeriod: "month",
    minQuantity: 1,
    maxQuantity: 100,
    msrp: { amount: 1000, currency: "USD" },
  });
  payg = await api.provider.products.create.mutate({
    mpn: `PAYG-${api.unique()}`.toUpperCase(),
    name: "Storage",
    isvName: "Acme",
    connector: "demo",
    unit: "GB",
    term: "monthly",
    billingModel: "payg",
    minQuantity: 1,
    maxQuantity: 1,
    msrp: { amount: 5, currency: "USD" },
  });
  for (const p of [licence, payg]) await api.provider.products.publish.mutate({ id: p.id });
  await api.provider.prices.set.mutate({ mpn: licence.mpn, price: { amount: 600, currency: "USD" } });
  await chain[1]!.client.prices.set.mutate({ mpn: licence.mpn, price: { amount: 800, currency: "USD" } });

  const customer = chain[3]!;
  const o1 = await customer.client.orders.place.mutate({ items: [{ mpn: licence.mpn, quantity: 3 }] });
  await completeSales(api, o1.id, new Date(OCT + 4 * DAY));
  licenceSubscription = o1.items[0]!.subscriptionId!;
  const o2 = await customer.client.orders.place.mutate({ items: [{ mpn: payg.mpn, quantity: 1 }] });
  await completeSales(api, o2.id, new Date(OCT + 4 * DAY));
  paygSubscription = o2.items[0]!.subscriptionId!;
  const o3 = await siblingCustomer.client.orders.place.mutate({ items: [{ mpn: licence.mpn, quantity: 1 }] });
  await completeSales(api, o3.id, new Date(OCT + 4 * DAY));
});
afterAll(() => api?.close());

const usage = (key: string, quantity: number, day = 10) => ({
  subscriptionId: paygSubscription,
  unit: "GB",
  quantity,
  idempotencyKey: key,
  periodStart: octDay(day),
  periodEnd: octDay(day + 1),
});

describe("usage", () => {
  it("counts a report sent twice with one key once, and refuses the key for different content", async () => {
    const first = await api.provider.usage.report.mutate(usage("day-10", 40));
    const again = await api.provider.usage.report.mutate(usage("day-10", 40));
    expect(first.duplicate).toBe(false);
    expect(again).toMatchObject({ id: first.id, duplicate: true });
    expect(await codeOf(api.provider.usage.report.mutate(usage("day-10", 41)))).toBe("CONFLICT");
    const lines = await api.db.selectFrom("rated_lines").selectAll().where("subscription_id", "=", paygSubscription).execute();
    expect(lines).toHaveLength(3); // one charge, three tiers
    expect(lines.find((l) => l.tier === 0)!.price_amount).toBe(40 * 5);
  });

  it("is refused for licence products, future periods, other units, terminated subscriptions and non-ISV callers", async () => {
    expect(await codeOf(api.provider.usage.report.mutate({ ...usage("lic", 1), subscriptionId: licenceSubscription, unit: "seat" }))).toBe(
      "PRECONDITION_FAILED",
    );
    const tomorrow = Date.now() + DAY;
    const future = {
      ...usage("future", 1),
      periodStart: new Date(tomorrow - DAY).toISOString(),
      periodEnd: new Date(tomorrow).toISOString(),
    };
    expect(await codeOf(api.provider.usage.report.mutate(future))).toBe("BAD_REQUEST");
    expect(await codeOf(api.provider.usage.report.mutate({ ...usage("unit", 1), unit: "TB" }))).toBe("BAD_REQUEST");
    expect(await codeOf(api.provider.usage.report.mutate({ ...usage("span", 1), periodStart: octDay(31), periodEnd: octDay(33) }))).toBe(
      "BAD_REQUEST",
    );
    expect(await codeOf(chain[1]!.client.usage.report.mutate(usage("reseller", 1)))).toBe("FORBIDDEN");
    expect(await codeOf(chain[3]!.client.usage.report.mutate(usage("customer", 1)))).toBe("FORBIDDEN");
    const ended = await siblingCustomer.client.orders.place.mutate({ items: [{ mpn: payg.mpn, quantity: 1 }] });
    await completeSales(api, ended.id, new Date(OCT));
    await api.db.updateTable("subscriptions").set({ status: "terminated" }).where("id", "=", ended.items[0]!.subscriptionId!).execute();
    expect(await codeOf(api.provider.usage.report.mutate({ ...usage("ended", 1), subscriptionId: ended.items[0]!.subscriptionId! }))).toBe(
      "PRECONDITION_FAILED",
    );
    expect(
      await api.db.selectFrom("usage_records").select("idempotency_key").where("subscription_id", "=", paygSubscription).execute(),
    ).toHaveLength(1);
  });

  it("accepts an ISV key, which can do nothing else; only the provider makes ISV keys", async () => {
    const { secret, apiKey } = await api.provider.apiKeys.create.mutate({ name: "acme isv", kind: "isv", isvName: "Acme" });
    expect(apiKey).toMatchObject({ kind: "isv", isvName: "Acme" });
    const isv = api.clientFor(secret);
    expect((await isv.usage.report.mutate(usage("isv-11", 2, 11))).duplicate).toBe(false);
    expect(await codeOf(isv.accounts.get.query({ id: chain[1]!.id }))).toBe("NOT_FOUND");
    expect((await isv.billing.statements.list.query({})).items).toEqual([]);
    expect(await codeOf(chain[1]!.client.apiKeys.create.mutate({ name: "x", kind: "isv", isvName: "Acme" }))).toBe("FORBIDDEN");
  });

  it("lets an ISV key report for its own ISV's products only, and makes every ISV key name its ISV", async () => {
    const { secret, apiKey } = await api.provider.apiKeys.create.mutate({ name: "globex isv", kind: "isv", isvName: "Globex" });
    const globex = api.clientFor(secret);
    // Acme's subscription does not exist for Globex's key, and nothing is recorded.
    expect(await codeOf(globex.usage.report.mutate(usage("globex-1", 3, 11)))).toBe("NOT_FOUND");
    const recorded = () => api.db.selectFrom("usage_records").select("id").where("idempotency_key", "=", "globex-1").execute();
    expect(await recorded()).toEqual([]);

    expect(await codeOf(api.provider.apiKeys.create.mutate({ name: "nameless", kind: "isv" }))).toBe("BAD_REQUEST");
    expect(await codeOf(api.provider.apiKeys.create.mutate({ name: "account", kind: "account", isvName: "Acme" }))).toBe("BAD_REQUEST");

    // A key made before ISV keys named their ISV is refused with what to do about it.
    await api.db.updateTable("api_keys").set({ isv_name: null }).where("id", "=", apiKey.id).execute();
    const legacy = await globex.usage.report.mutate(usage("globex-2", 3, 11)).catch((e: Error) => e);
    expect(legacy).toBeInstanceOf(Error);
    expect((legacy as Error).message).toMatch(/names no ISV/);
  });
});

describe("statements", () => {
  it("close at month end once, emit statement.issued, and send late usage to the next statement as an adjustment", async () => {
    const first = await closeMonths(api.db, new Date(Date.UTC(2026, 10, 1, 0, 0, 5)));
    expect(first.issued).toBeGreaterThan(0);
    expect((await closeMonths(api.db, new Date(Date.UTC(2026, 10, 1, 0, 1, 5)))).issued).toBe(0);
    const issuedEvents = await api.db.selectFrom("events").select(["account_id", "data"]).where("type", "=", "statement.issued").execute();
    expect(issuedEvents).toHaveLength(first.issued);

    const customer = chain[3]!;
    const october = await customer.client.billing.statements.list.query({ side: "buyer", month: "2026-10" });
    expect(october.items).toHaveLength(1);
    const before = october.items[0]!;
    expect(before).toMatchObject({ status: "issued", total: { amount: 3 * 1000 + 40 * 5 + 2 * 5, currency: "USD" } });

    const late = await api.provider.usage.report.mutate(usage("late-20", 7, 20));
    expect(late.duplicate).toBe(false);
    expect(await customer.client.billing.statements.get.query({ id: before.id })).toEqual(before);
    const november = await customer.client.billing.statements.list.query({ side: "buyer", month: "2026-11" });
    expect(november.items[0]).toMatchObject({ status: "open", total: { amount: 35 }, totalsByKind: { adjustment: 35 } });
    const exported = await customer.client.billing.lines.export.query({ statementId: november.items[0]!.id });
    expect(exported.items).toEqual([expect.objectContaining({ kind: "adjustment", note: "late usage of 2026-10", cost: null })]);
  });

  it("exports lines as CSV and JSON, showing a line's cost to the vendor side only", async () => {
    const reseller = chain[1]!;
    const json = await reseller.client.billing.lines.export.query({ month: "2026-10" });
    const sold = json.items.filter((l) => l.vendorId === reseller.id);
    const bought = json.items.filter((l) => l.buyerId === reseller.id);
    expect(sold.length).toBeGreaterThan(0);
    expect(sold.every((l) => l.cost !== null)).toBe(true);
    expect(bought.every((l) => l.cost === null)).toBe(true);
    const csv = await reseller.client.billing.lines.export.query({ month: "2026-10", format: "csv" });
    const rows = csv.csv!.trim().split("\r\n");
    expect(rows[0]).toMatch(/^id,statementId,month,kind,tier,/);
    expect(rows).toHaveLength(json.items.length + 1);
  });

  it("gives the reseller its margin per subscription: what it charged and what it was charged", async () => {
    const [, reseller, subReseller] = chain;
    const report = await reseller!.client.billing.margin.query({ month: "2026-10" });
    const licence = report.rows.find((r) => r.subscriptionId === licenceSubscription)!;
    // The sub-reseller pays the reseller's 800 (×3); the reseller pays the provider's 600 (×3).
    expect(licence).toMatchObject({ buyerId: subReseller!.id, customerId: chain[3]!.id, charged: 2400, paid: 1800, margin: 600 });
    const subReport = await subReseller!.client.billing.margin.query({ month: "2026-10" });
    expect(subReport.rows.find((r) => r.subscriptionId === licenceSubscription)).toMatchObject({ charged: 3000, paid: 2400, margin: 600 });
    expect((await reseller!.client.billing.margin.query({ month: "2026-10", accountId: subReseller!.id })).rows).toEqual(subReport.rows);
  });
});

describe("reach", () => {
  it("a sibling reseller cannot read another's statements, lines or margin report", async () => {
    const reseller = chain[1]!;
    const mine = await reseller.client.billing.statements.list.query({});
    const theirs = await sibling.client.billing.statements.list.query({});
    expect(mine.items.length).toBeGreaterThan(0);
    expect(theirs.items.length).toBeGreaterThan(0);
    for (const st of mine.items) {
      expect(await codeOf(sibling.client.billing.statements.get.query({ id: st.id }))).toBe("NOT_FOUND");
      expect(await codeOf(sibling.client.billing.lines.export.query({ statementId: st.id }))).toBe("NOT_FOUND");
    }
    const theirIds = new Set(theirs.items.map((s) => s.id));
    expect(mine.items.some((s) => theirIds.has(s.id))).toBe(false);
    const theirLines = await sibling.client.billing.lines.export.query({ limit: 5000 });
    expect(theirLines.items.every((l) => l.customerId === siblingCustomer.id)).toBe(true);
    expect(await codeOf(sibling.client.billing.margin.query({ month: "2026-10", accountId: reseller.id }))).toBe("NOT_FOUND");
    expect(await codeOf(sibling.client.billing.statements.list.query({ accountId: reseller.id }))).toBe("NOT_FOUND");
    // A customer sees its own statements as buyer only; the provider sees everything.
    const customerView = await chain[3]!.client.billing.statements.list.query({});
    expect(customerView.items.every((s) => s.buyerId === chain[3]!.id)).toBe(true);
    const all = await api.provider.billing.statements.list.query({ limit: 200 });
    expect(all.items.length).toBe(mine.items.length + theirs.items.length);
  });
});

describe("autoRenew", () => {
  it("is set by the buyer's and the vendor chain's admins, not by a sibling", async () => {
    const off = await chain[3]!.client.subscriptions.setAutoRenew.mutate({ id: licenceSubscription, autoRenew: false });
    expect(off.autoRenew).toBe(false);
    expect((await chain[1]!.client.subscriptions.setAutoRenew.mutate({ id: licenceSubscription, autoRenew: true })).autoRenew).toBe(true);
    expect(await codeOf(sibling.client.subscriptions.setAutoRenew.mutate({ id: licenceSubscription, autoRenew: false }))).toBe("NOT_FOUND");
  });
});
