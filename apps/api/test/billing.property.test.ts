import { closeMonths, lineAmount, prorationDays } from "@canopy/domain/billing";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildChain, completeChange, completeSales, linesOf } from "./billing-support";
import { type Api, startApi } from "./harness";

let api: Api;
beforeAll(async () => {
  api = await startApi();
});
afterAll(() => api?.close());

/** The test's own half-up rounding (amounts here stay far below 2^53). */
function expected(unit: number, quantity: number, days: number, inPeriod: number) {
  const n = unit * quantity * days;
  // A credit that rounds to nothing is 0, as the database stores it, not JavaScript's -0.
  return Math.sign(n) * Math.floor((2 * Math.abs(n) + inPeriod) / (2 * inPeriod)) || 0;
}
const DAY = 86_400_000;

const scenario = fc.record({
  depth: fc.integer({ min: 1, max: 4 }),
  msrp: fc.integer({ min: 1, max: 100_000 }),
  /** Each vendor from the provider down: its price for the MPN, or none (its buyers pay the MSRP). */
  prices: fc.array(fc.option(fc.integer({ min: 0, max: 100_000 }), { nil: undefined }), { minLength: 4, maxLength: 4 }),
  usagePrices: fc.array(fc.option(fc.integer({ min: 0, max: 5_000 }), { nil: undefined }), { minLength: 4, maxLength: 4 }),
  month: fc.integer({ min: 0, max: 9 }),
  startDay: fc.integer({ min: 0, max: 27 }),
  quantity: fc.integer({ min: 1, max: 50 }),
  /** Quantity changes on random days of the first term (day offsets from its start). */
  changes: fc.array(fc.record({ day: fc.integer({ min: 0, max: 40 }), quantity: fc.integer({ min: 1, max: 50 }) }), { maxLength: 4 }),
  usage: fc.array(fc.record({ day: fc.integer({ min: 0, max: 26 }), quantity: fc.integer({ min: 0, max: 10_000 }) }), { maxLength: 5 }),
});

describe("rating down a chain (property)", () => {
  it("conserves money tier by tier, prorates by day, and closing twice changes nothing", { timeout: 600_000 }, async () => {
    await fc.assert(
      fc.asyncProperty(scenario, async (s) => {
        const nodes = await buildChain(api, s.depth);
        const vendors = nodes.slice(0, -1);
        const customer = nodes[s.depth]!;
        const licence = await api.provider.products.create.mutate({
          mpn: `LIC-${api.unique()}`.toUpperCase(),
          name: "Seats",
          isvName: "Acme",
          connector: "demo",
          unit: "seat",
          term: "monthly",
          minQuantity: 1,
          maxQuantity: 100,
          msrp: { amount: s.msrp, currency: "EUR" },
        });
        const payg = await api.provider.products.create.mutate({
          mpn: `PAYG-${api.unique()}`.toUpperCase(),
          name: "Storage",
          isvName: "Acme",
          connector: "demo",
          unit: "GB",
          term: "monthly",
          billingModel: "payg",
          minQuantity: 1,
          maxQuantity: 1,
          msrp: { amount: 7, currency: "EUR" },
        });
        for (const p of [licence, payg]) await api.provider.products.publish.mutate({ id: p.id });
        for (const [i, v] of vendors.entries()) {
          const price = s.prices[i];
          if (price !== undefined) await v.client.prices.set.mutate({ mpn: licence.mpn, price: { amount: price, currency: "EUR" } });
          const usagePrice = s.usagePrices[i];
          if (usagePrice !== undefined) await v.client.prices.set.mutate({ mpn: payg.mpn, price: { amount: usagePrice, currency: "EUR" } });
        }
        // What tier k's buyer pays per unit: its vendor's price, or the MSRP.
        const unitAt = (k: number, own: (number | undefined)[], msrp: number) => own[s.depth - k - 1] ?? msrp;

        const start = new Date(Date.UTC(2026, s.month, 1 + s.startDay));
        const order = await customer.client.orders.place.mutate({ items: [{ mpn: licence.mpn, quantity: s.quantity }] });
        await completeSales(api, order.id, start);
        const subscriptionId = order.items[0]!.subscriptionId!;
        const end = new Date(Date.UTC(2026, s.month + 1, 1 + s.startDay));
        const days = Math.round((end.getTime() - start.getTime()) / DAY);

        // Quantity changes, in day order, each inside the term.
        const wanted: { units: number; billed: number }[] = [{ units: s.quantity, billed: days }];
        let quantity = s.quantity;
        for (const [i, change] of [...s.changes].sort((a, b) => a.day - b.day).entries()) {
          if (change.day >= days || change.quantity === quantity) continue;
          const placed = await customer.client.subscriptions.changeQuantity.mutate({ id: subscriptionId, quantity: change.quantity });
          await completeChange(api, placed.id, new Date(start.getTime() + change.day * DAY + (i + 1) * 60_000));
          wanted.push({ units: change.quantity - quantity, billed: days - change.day });
          quantity = change.quantity;
        }

        const paygOrder = await customer.client.orders.place.mutate({ items: [{ mpn: payg.mpn, quantity: 1 }] });
        await completeSales(api, paygOrder.id, start);
        const paygId = paygOrder.items[0]!.subscriptionId!;
        const monthStart = Date.UTC(2026, s.month, 1);
        for (const [i, u] of s.usage.entries()) {
          await api.provider.usage.report.mutate({
            subscriptionId: paygId,
            unit: "GB",
            quantity: u.quantity,
            idempotencyKey: `u${i}`,
            periodStart: new Date(monthStart + u.day * DAY).toISOString(),
            periodEnd: new Date(monthStart + (u.day + 1) * DAY).toISOString(),
          });
        }

        // Every licence line is the oracle's amount, at every tier, and its cost is the tier above's price.
        const lines = await linesOf(api, subscriptionId);
        expect(lines.length).toBe(wanted.filter((w) => w.units !== 0).length * s.depth);
        for (const [c, w] of wanted.entries()) {
          const atCharge = lines.slice(c * s.depth, (c + 1) * s.depth);
          for (const [k, line] of atCharge.entries()) {
            expect(line.tier).toBe(k);
            expect(line.buyer_id).toBe(nodes[s.depth - k]!.id);
            expect(line.vendor_id).toBe(nodes[s.depth - k - 1]!.id);
            expect(line.price_amount).toBe(expected(unitAt(k, s.prices, s.msrp), w.units, w.billed, days));
            expect(line.cost_amount).toBe(k + 1 < s.depth ? atCharge[k + 1]!.price_amount : null);
          }
        }
        // Without changes the term's fee is exactly unit × quantity at every tier.
        if (wanted.length === 1) {
          for (const line of lines) expect(line.price_amount).toBe(line.unit_price * s.quantity);
        }
        const usageLines = await linesOf(api, paygId);
        expect(usageLines.length).toBe(s.usage.filter((u) => u.quantity > 0).length * s.depth);
        for (const line of usageLines) expect(line.price_amount).toBe(unitAt(line.tier, s.usagePrices, 7) * line.quantity);

        // What each vendor bills is what its buyer owes: read through the API from both sides.
        for (let k = 0; k < s.depth; k++) {
          const buyer = nodes[s.depth - k]!;
          const vendor = nodes[s.depth - k - 1]!;
          const owed = await buyer.client.billing.statements.list.query({ side: "buyer" });
          const billed = await vendor.client.billing.statements.list.query({ side: "vendor", accountId: vendor.id });
          const sumOf = (items: typeof owed.items) =>
            items.filter((st) => st.buyerId === buyer.id && st.vendorId === vendor.id).reduce((a, st) => a + st.total.amount, 0);
          expect(sumOf(billed.items)).toBe(sumOf(owed.items));
          if (k + 1 < s.depth) {
            // The vendor's costs for what it sold here are exactly what it owes above for the same subscriptions.
            const sold = [...lines, ...usageLines].filter((l) => l.tier === k).reduce((a, l) => a + (l.cost_amount ?? 0), 0);
            const paid = [...lines, ...usageLines].filter((l) => l.tier === k + 1).reduce((a, l) => a + l.price_amount, 0);
            expect(sold).toBe(paid);
          }
        }

        // Closing: the months are issued once; a second close (or a later one) changes nothing.
        const later = new Date(Date.UTC(2026, s.month + 3, 2));
        await closeMonths(api.db, later);
        const snapshot = async () => ({
          statements: await api.db
            .selectFrom("statements")
            .selectAll()
            .where("buyer_path", "like", `%${nodes[1]!.id}.%`)
            .orderBy("id")
            .execute(),
          lines: await api.db
            .selectFrom("rated_lines")
            .select(["id", "statement_id", "price_amount"])
            .where("customer_id", "=", customer.id)
            .orderBy("id")
            .execute(),
          events: (await api.db.selectFrom("events").select("id").where("type", "=", "statement.issued").execute()).length,
        });
        const first = await snapshot();
        expect(first.statements.every((st) => st.status === "issued")).toBe(true);
        const again = await closeMonths(api.db, later);
        expect(again.issued).toBe(0);
        expect(await snapshot()).toEqual(first);
      }),
      { numRuns: Number(process.env.BILLING_PROPERTY_RUNS ?? 12) },
    );
  });

  it("prorates symmetrically: a change and its reverse on the same day cancel out, and a change on the term's first day bills the full difference", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 1_000_000 }),
        fc.integer({ min: 1, max: 1000 }),
        fc.date({ min: new Date("2020-01-01"), max: new Date("2030-01-01"), noInvalidDate: true }),
        fc.integer({ min: 0, max: 400 }),
        (unit, units, start, dayOffset) => {
          const end = new Date(Date.UTC(start.getUTCFullYear() + 1, start.getUTCMonth(), 1));
          const at = new Date(start.getTime() + dayOffset * DAY);
          const { daysBilled, daysInPeriod } = prorationDays(start, end, at);
          expect(lineAmount(unit, units, daysBilled, daysInPeriod) + lineAmount(unit, -units, daysBilled, daysInPeriod)).toBe(0);
          const first = prorationDays(start, end, start);
          expect(lineAmount(unit, units, first.daysBilled, first.daysInPeriod)).toBe(unit * units);
        },
      ),
    );
  });
});
