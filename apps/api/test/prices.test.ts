import { publishedProduct } from "@canopy/api/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Api, codeOf, startApi } from "./harness";

let api: Api;
beforeAll(async () => {
  api = await startApi();
});
afterAll(() => api?.close());

/** provider → reseller → sub-reseller → customer */
async function chain() {
  const reseller = await api.account("reseller");
  const sub = await api.account("reseller", { as: reseller.client });
  const customer = await api.account("customer", { as: sub.client });
  return { reseller, sub, customer };
}

describe("prices down the reseller chain", () => {
  it("charges each tier its vendor's price, or the MSRP where the vendor set none", async () => {
    const product = await publishedProduct(api, { msrp: { amount: 1000, currency: "USD" } });
    const { reseller, sub, customer } = await chain();
    const unitPriceFor = async (client: typeof reseller.client, accountId: string) => {
      const estimate = await client.orders.estimate.query({ accountId, items: [{ mpn: product.mpn, quantity: 3 }] });
      expect(estimate.total).toEqual({ amount: estimate.items[0]!.unitPrice.amount * 3, currency: estimate.items[0]!.unitPrice.currency });
      return estimate.items[0]!.unitPrice;
    };
    const prices = async () => ({
      reseller: (await unitPriceFor(reseller.client, reseller.account.id)).amount,
      sub: (await unitPriceFor(sub.client, sub.account.id)).amount,
      customer: (await unitPriceFor(customer.client, customer.account.id)).amount,
    });

    // No prices anywhere: everyone pays the MSRP.
    expect(await prices()).toEqual({ reseller: 1000, sub: 1000, customer: 1000 });

    // The provider's price applies only to the accounts directly below it.
    await api.provider.prices.set.mutate({ mpn: product.mpn, price: { amount: 700, currency: "USD" } });
    expect(await prices()).toEqual({ reseller: 700, sub: 1000, customer: 1000 });

    await reseller.client.prices.set.mutate({ mpn: product.mpn, price: { amount: 850, currency: "USD" } });
    await sub.client.prices.set.mutate({ mpn: product.mpn, price: { amount: 950, currency: "USD" } });
    expect(await prices()).toEqual({ reseller: 700, sub: 850, customer: 950 });

    // The sub-reseller's own customer and its vendor see the same figure for that customer.
    expect(await unitPriceFor(reseller.client, customer.account.id)).toEqual({ amount: 950, currency: "USD" });

    // Setting again replaces; removing falls back to the MSRP.
    await reseller.client.prices.set.mutate({ mpn: product.mpn, price: { amount: 800, currency: "USD" } });
    await sub.client.prices.remove.mutate({ mpn: product.mpn });
    expect(await prices()).toEqual({ reseller: 700, sub: 800, customer: 1000 });
  });

  it("lists a vendor's prices with what it pays itself, so the margin shows", async () => {
    const a = await publishedProduct(api, { msrp: { amount: 2000, currency: "EUR" } });
    const b = await publishedProduct(api, { msrp: { amount: 500, currency: "EUR" } });
    const { reseller, sub } = await chain();
    await reseller.client.prices.set.mutate({ mpn: a.mpn, price: { amount: 1800, currency: "EUR" } });
    await sub.client.prices.set.mutate({ mpn: a.mpn, price: { amount: 1950, currency: "EUR" } });
    await sub.client.prices.set.mutate({ mpn: b.mpn, price: { amount: 600, currency: "EUR" } });

    const own = await sub.client.prices.list.query();
    expect(own.items.map((p) => [p.mpn, p.price.amount, p.cost?.amount])).toEqual(
      [
        [a.mpn, 1950, 1800],
        [b.mpn, 600, 500],
      ].sort((x, y) => String(x[0]).localeCompare(String(y[0]))),
    );
    // The vendor above reads its sub-reseller's prices; the sub-reseller cannot read its vendor's.
    expect((await reseller.client.prices.list.query({ vendorId: sub.account.id })).items).toHaveLength(2);
    expect(await codeOf(sub.client.prices.list.query({ vendorId: reseller.account.id }))).toBe("NOT_FOUND");
    expect((await api.provider.prices.list.query()).items.every((p) => p.cost === null)).toBe(true);
  });

  it("lets only vendors set prices, for products that exist, in real currencies", async () => {
    const product = await publishedProduct(api);
    const customer = await api.account("customer");
    const reseller = await api.account("reseller");
    expect(await codeOf(customer.client.prices.set.mutate({ mpn: product.mpn, price: { amount: 1, currency: "USD" } }))).toBe("FORBIDDEN");
    expect(await codeOf(reseller.client.prices.set.mutate({ mpn: "NO-SUCH-MPN", price: { amount: 1, currency: "USD" } }))).toBe(
      "NOT_FOUND",
    );
    expect(await codeOf(reseller.client.prices.set.mutate({ mpn: product.mpn, price: { amount: -1, currency: "USD" } }))).toBe(
      "BAD_REQUEST",
    );
    expect(await codeOf(reseller.client.prices.set.mutate({ mpn: product.mpn, price: { amount: 1, currency: "usd" } }))).toBe(
      "BAD_REQUEST",
    );
    expect(await codeOf(reseller.client.prices.remove.mutate({ mpn: product.mpn }))).toBe("NOT_FOUND");
  });

  it("refuses an order whose items are priced in different currencies", async () => {
    const usd = await publishedProduct(api, { msrp: { amount: 1000, currency: "USD" } });
    const eur = await publishedProduct(api, { msrp: { amount: 1000, currency: "EUR" } });
    const customer = await api.account("customer");
    const items = [
      { mpn: usd.mpn, quantity: 1 },
      { mpn: eur.mpn, quantity: 1 },
    ];
    expect(await codeOf(customer.client.orders.estimate.query({ items }))).toBe("BAD_REQUEST");
    expect(await codeOf(customer.client.orders.place.mutate({ items }))).toBe("BAD_REQUEST");
    // A vendor price in the other currency makes them one currency again.
    await api.provider.prices.set.mutate({ mpn: eur.mpn, price: { amount: 1100, currency: "USD" } });
    const order = await customer.client.orders.place.mutate({ items });
    expect(order.total).toEqual({ amount: 2100, currency: "USD" });
  });
});
