import { publishedProduct } from "@canopy/api/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Api, codeOf, startApi } from "./harness";

let api: Api;
beforeAll(async () => {
  api = await startApi();
});
afterAll(() => api?.close());

const draft = (mpn: string, extra: object = {}) => ({
  mpn,
  name: "Backup 1 TB",
  isvName: "Vaultly",
  connector: "demo",
  unit: "TB",
  billingPeriod: "month" as const,
  minQuantity: 1,
  maxQuantity: 10,
  msrp: { amount: 4999, currency: "EUR" },
  ...extra,
});

describe("products", () => {
  it("creates drafts only the provider sees, publishes and retires them", async () => {
    const reseller = await api.account("reseller");
    const mpn = `VAULT-${api.unique()}`;
    const created = await api.provider.products.create.mutate(draft(mpn, { connectorConfig: { plan: "gold" } }));
    expect(created).toMatchObject({
      mpn,
      status: "draft",
      msrp: { amount: 4999, currency: "EUR" },
      connectorConfig: { plan: "gold" },
      version: 1,
    });
    expect(created.id).toMatch(/^prd_/);

    expect(await codeOf(reseller.client.products.get.query({ id: created.id }))).toBe("NOT_FOUND");
    expect((await reseller.client.products.list.query({ mpn })).items).toEqual([]);

    const published = await api.provider.products.publish.mutate({ id: created.id });
    expect(published.status).toBe("published");
    const seen = await reseller.client.products.get.query({ mpn });
    expect(seen).toMatchObject({ id: created.id, status: "published", connectorConfig: null });

    const retired = await api.provider.products.retire.mutate({ id: created.id });
    expect(retired.status).toBe("retired");
    // Retired products stay readable: existing subscriptions refer to them.
    expect((await reseller.client.products.get.query({ id: created.id })).status).toBe("retired");
    expect(await codeOf(api.provider.products.retire.mutate({ id: created.id }))).toBe("OK");
  });

  it("keeps writes to the provider and the MPN unique", async () => {
    const reseller = await api.account("reseller");
    const customer = await api.account("customer");
    const mpn = `UNIQ-${api.unique()}`;
    expect(await codeOf(reseller.client.products.create.mutate(draft(mpn)))).toBe("FORBIDDEN");
    const created = await api.provider.products.create.mutate(draft(mpn));
    expect(await codeOf(api.provider.products.create.mutate(draft(mpn, { name: "Other" })))).toBe("CONFLICT");
    expect(await codeOf(customer.client.products.update.mutate({ id: created.id, name: "Mine" }))).toBe("FORBIDDEN");
    expect(await codeOf(reseller.client.products.publish.mutate({ id: created.id }))).toBe("FORBIDDEN");
    expect(await codeOf(api.provider.products.publish.mutate({ id: "prd_missing" }))).toBe("NOT_FOUND");
  });

  it("updates with optimistic concurrency and checks the quantity range", async () => {
    const product = await publishedProduct(api);
    const updated = await api.provider.products.update.mutate({
      id: product.id,
      version: product.version,
      name: "Office Suite Pro",
      maxQuantity: 50,
    });
    expect(updated).toMatchObject({ name: "Office Suite Pro", maxQuantity: 50, mpn: product.mpn, version: product.version + 1 });
    expect(await codeOf(api.provider.products.update.mutate({ id: product.id, version: product.version, name: "Stale" }))).toBe("CONFLICT");
    expect(await codeOf(api.provider.products.update.mutate({ id: product.id, minQuantity: 60 }))).toBe("BAD_REQUEST");
  });

  it("refuses malformed products with field errors", async () => {
    for (const bad of [
      draft("BAD-1", { minQuantity: 5, maxQuantity: 2 }),
      draft("BAD-2", { msrp: { amount: 10, currency: "XYZ" } }),
      draft("BAD-3", { msrp: { amount: 1.5, currency: "USD" } }),
      draft("bad mpn with spaces"),
      draft("BAD-4", { billingPeriod: "week" }),
    ]) {
      expect(await codeOf(api.provider.products.create.mutate(bad as never))).toBe("BAD_REQUEST");
    }
  });

  it("lists and searches by MPN, text over name and MPN, ISV and status, page by page", async () => {
    const tag = api.unique();
    const isv = `Isv ${tag}`;
    const made = [];
    for (const [i, name] of ["Cloud Mail", "Cloud Drive", "Secure VPN", "Mail Archive 100%"].entries()) {
      made.push(await publishedProduct(api, { mpn: `${tag.toUpperCase()}-${i}`, name, isvName: isv }));
    }
    const customer = await api.account("customer");
    const names = async (input: Parameters<typeof customer.client.products.list.query>[0]) =>
      (await customer.client.products.list.query(input)).items.map((p) => p.name);

    expect(await names({ isvName: isv })).toEqual(["Cloud Mail", "Cloud Drive", "Secure VPN", "Mail Archive 100%"]);
    expect(await names({ isvName: isv, q: "mail" })).toEqual(["Cloud Mail", "Mail Archive 100%"]);
    expect(await names({ isvName: isv, q: "MAIL  cloud" })).toEqual(["Cloud Mail"]); // every word, any order, any case
    expect(await names({ isvName: isv, q: `${tag}-2` })).toEqual(["Secure VPN"]);
    expect(await names({ q: "100%" })).toEqual(["Mail Archive 100%"]);
    expect(await names({ isvName: isv, q: "00%" })).toEqual(["Mail Archive 100%"]);
    expect(await names({ isvName: isv, q: "1_0" })).toEqual([]); // `_` is a character, not a wildcard
    expect(await codeOf(customer.client.products.list.query({ q: "ma" }))).toBe("BAD_REQUEST");
    expect(await names({ mpn: made[1]!.mpn })).toEqual(["Cloud Drive"]);

    await api.provider.products.retire.mutate({ id: made[3]!.id });
    expect(await names({ isvName: isv, status: "retired" })).toEqual(["Mail Archive 100%"]);
    expect(await names({ isvName: isv, status: "draft" })).toEqual([]);

    const seen: string[] = [];
    let cursor: string | undefined;
    do {
      const page = await customer.client.products.list.query({ isvName: isv, limit: 3, cursor });
      seen.push(...page.items.map((p) => p.id));
      cursor = page.nextCursor ?? undefined;
    } while (cursor);
    expect(seen).toEqual(made.map((p) => p.id));
  });
});
