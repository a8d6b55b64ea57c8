// `npm run demo:billing`: a month of billing down a three-tier chain, self-contained (it needs
// only the local PostgreSQL: it makes a scratch database and serves the API on a free port).
//   provider → Northwind (reseller) → Contoso Partners (sub-reseller) → Fabrikam (customer)
// Fabrikam buys 10 seats on 1 October, goes to 15 on the 16th, and uses cloud storage; the
// script plays the worker on the days shown (provisioning happens for real; the script then
// dates each completion on its simulated day), rates each order as the worker does on
// `order.completed`, closes October at midnight on 1 November, renews the seats that day, and
// takes a late storage report. It prints every tier's statements and the margin reports.

import { startApi } from "@canopy/api/testing";
import { sql } from "@canopy/db";
import { prepareTemplateDatabase } from "@canopy/db/testing";
import { closeMonths, rateCompletedOrder, renewDue } from "@canopy/domain/billing";
import { createConnectorRegistry, createDemoConnector, provisioning } from "@canopy/domain/commerce";

const money = (minor: number) => (minor / 100).toFixed(2).padStart(10);
const at = (iso: string) => new Date(iso);

await prepareTemplateDatabase();
const api = await startApi();
const connectors = createConnectorRegistry({ demo: createDemoConnector({ db: api.db }) });
const worker = { connectors, finalAttempt: true, attempt: 1 };

/** The worker on `day`: carries the order out, dates its completion, rates it. */
async function complete(orderId: string, day: string) {
  await provisioning.processOrder(api.db, orderId, worker);
  await sql`update orders set updated_at = ${at(day)} where id = ${orderId}`.execute(api.db);
  await sql`update subscriptions set started_at = ${at(day)}, renews_at = ${at(day)}::timestamptz + interval '1 month'
    where id in (select subscription_id from order_items where order_id = ${orderId}) and started_at > ${at(day)}`.execute(api.db);
  await rateCompletedOrder(api.db, orderId);
}

try {
  const northwind = await api.account("reseller", { name: "Northwind" });
  const contoso = await api.account("reseller", { name: "Contoso Partners", vendorId: northwind.account.id });
  const fabrikam = await api.account("customer", { name: "Fabrikam", vendorId: contoso.account.id });
  const names = new Map([
    [api.providerId, "Provider"],
    [northwind.account.id, "Northwind"],
    [contoso.account.id, "Contoso"],
    [fabrikam.account.id, "Fabrikam"],
  ]);
  const seats = await api.provider.products.create.mutate({
    mpn: "OFFICE-SEAT",
    name: "Office seats",
    isvName: "Acme",
    connector: "demo",
    unit: "seat",
    term: "monthly",
    minQuantity: 1,
    maxQuantity: 500,
    msrp: { amount: 1200, currency: "USD" },
  });
  const storage = await api.provider.products.create.mutate({
    mpn: "CLOUD-GB",
    name: "Cloud storage",
    isvName: "Acme",
    connector: "demo",
    unit: "GB",
    term: "monthly",
    billingModel: "payg",
    minQuantity: 1,
    maxQuantity: 1,
    msrp: { amount: 10, currency: "USD" },
  });
  for (const p of [seats, storage]) await api.provider.products.publish.mutate({ id: p.id });
  await api.provider.prices.set.mutate({ mpn: "OFFICE-SEAT", price: { amount: 800, currency: "USD" } });
  await api.provider.prices.set.mutate({ mpn: "CLOUD-GB", price: { amount: 5, currency: "USD" } });
  await northwind.client.prices.set.mutate({ mpn: "OFFICE-SEAT", price: { amount: 1000, currency: "USD" } });
  await northwind.client.prices.set.mutate({ mpn: "CLOUD-GB", price: { amount: 7, currency: "USD" } });
  console.log(
    "Price chain (per seat / per GB): Provider→Northwind 8.00 / 0.05, Northwind→Contoso 10.00 / 0.07, Contoso→Fabrikam MSRP 12.00 / 0.10\n",
  );

  const buy = await fabrikam.client.orders.place.mutate({
    items: [
      { mpn: "OFFICE-SEAT", quantity: 10 },
      { mpn: "CLOUD-GB", quantity: 1 },
    ],
  });
  await complete(buy.id, "2026-10-01T09:00:00Z");
  const [seatSub, storageSub] = buy.items.map((i) => i.subscriptionId!);
  console.log("1 Oct   Fabrikam buys 10 seats (term 1 Oct – 1 Nov) and cloud storage");
  const change = await fabrikam.client.subscriptions.changeQuantity.mutate({ id: seatSub!, quantity: 15 });
  await complete(change.id, "2026-10-16T10:00:00Z");
  console.log("16 Oct  Fabrikam goes to 15 seats: +5 for 16 of the term's 31 days");
  for (const [week, gb] of [
    [1, 1200],
    [2, 1350],
    [3, 1500],
    [4, 1800],
  ] as const) {
    const start = new Date(Date.UTC(2026, 9, 1 + (week - 1) * 7));
    const end = new Date(Math.min(start.getTime() + 7 * 86_400_000, Date.UTC(2026, 9, 31)));
    await api.provider.usage.report.mutate({
      subscriptionId: storageSub!,
      unit: "GB",
      quantity: gb,
      periodStart: start.toISOString(),
      periodEnd: end.toISOString(),
      idempotencyKey: `w${week}`,
    });
  }
  console.log("October storage reported weekly by the ISV: 1,200 + 1,350 + 1,500 + 1,800 GB");

  const closed = await closeMonths(api.db, at("2026-11-01T00:00:05Z"));
  console.log(`1 Nov   October closes: ${closed.issued} statements issued (statement.issued to each vendor's chain)`);
  const renewal = await renewDue(api.db, at("2026-11-01T09:00:00Z"));
  for (const order of await api.db.selectFrom("orders").select("id").where("type", "=", "renewal").execute())
    await complete(order.id, "2026-11-01T09:00:00Z");
  console.log(
    `1 Nov   the worker renews ${renewal.renewed} subscriptions for November (storage is pay-as-you-go: nothing to bill up front)`,
  );
  await api.provider.usage.report.mutate({
    subscriptionId: storageSub!,
    unit: "GB",
    quantity: 400,
    periodStart: "2026-10-29T00:00:00Z",
    periodEnd: "2026-10-31T00:00:00Z",
    idempotencyKey: "late",
  });
  console.log("2 Nov   a late report (400 GB for 29–30 Oct) lands on November's statement as an adjustment\n");

  for (const [who, client] of [
    ["Fabrikam", fabrikam.client],
    ["Contoso", contoso.client],
    ["Northwind", northwind.client],
  ] as const) {
    const own = await client.billing.statements.list.query({ side: "buyer" });
    for (const st of own.items.sort((a, b) => a.month.localeCompare(b.month))) {
      console.log(
        `${who} owes ${names.get(st.vendorId)} — ${st.month} (${st.status}) total ${money(st.total.amount).trim()} ${st.currency}`,
      );
      const lines = await client.billing.lines.export.query({ statementId: st.id });
      for (const l of lines.items) {
        const what =
          l.kind === "usage" || l.kind === "adjustment"
            ? `${l.quantity} GB`
            : `${l.quantity} × ${l.mpn} ${l.daysBilled}/${l.daysInPeriod} days`;
        console.log(
          `   ${l.kind.padEnd(10)} ${what.padEnd(34)} @ ${money(l.unitPrice).trim().padStart(6)} = ${money(l.price.amount)}${l.note ? `  (${l.note})` : ""}`,
        );
      }
    }
  }
  for (const [who, client] of [
    ["Northwind", northwind.client],
    ["Contoso", contoso.client],
  ] as const) {
    const report = await client.billing.margin.query({ month: "2026-10" });
    console.log(`\n${who}'s margin, October 2026:`);
    for (const r of report.rows) {
      console.log(
        `   ${r.mpn.padEnd(12)} billed ${names.get(r.buyerId)?.padEnd(9)} ${money(r.charged)}  paid ${money(r.paid ?? 0)}  margin ${money(r.margin ?? 0)}`,
      );
    }
    for (const t of report.totals)
      console.log(`   ${"total".padEnd(22)} ${money(t.charged)}  paid ${money(t.paid ?? 0)}  margin ${money(t.margin ?? 0)} ${t.currency}`);
  }
  const provider = await api.provider.billing.statements.list.query({ side: "vendor", month: "2026-10" });
  console.log(`\nThe provider billed Northwind ${money(provider.items.reduce((a, s) => a + s.total.amount, 0)).trim()} USD for October.`);
} finally {
  await api.close();
}
