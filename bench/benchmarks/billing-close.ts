// Benchmark 7: closing a month with 100,000 usage records (300,000 rated lines: a customer →
// sub-reseller → reseller → provider chain, 100 customers). The figure is `closeMonths` as the
// worker's clock tick runs it — 102 statements, each locked, summed, issued with its
// `statement.issued` event in its own transaction — with the time it takes and the bench
// process's memory while it runs. Baseline: one aggregate query that sums the same lines per
// statement (the least any close must read). The month is reopened before each repetition.
import { type Db, sql } from "@canopy/db";
import { closeMonths } from "@canopy/domain/billing";
import { scratchDatabase } from "../lib/scratch-db";
import { median } from "../lib/stats";
import type { Benchmark, BenchOptions, Row } from "../lib/types";

const CUSTOMERS = 100;

async function seed(db: Db, records: number, opts: BenchOptions) {
  const { rows } = await sql<{ n: number }>`select count(*)::int as n from usage_records`.execute(db);
  if (rows[0]!.n === records) return;
  opts.log(`  seeding ${records.toLocaleString("en")} usage records (kept for later runs)…`);
  await sql`truncate rated_lines, charges, usage_records, statements, billing_terms, subscriptions, products, accounts, events cascade`.execute(
    db,
  );
  await sql`insert into accounts (id, type, name, vendor_id, path, contact, address) values
    ('acc_p', 'provider', 'Provider', null, 'acc_p.', '{"email":"p@x.test"}', '{"country":"DE"}'),
    ('acc_r', 'reseller', 'Reseller', 'acc_p', 'acc_p.acc_r.', '{"email":"r@x.test"}', '{"country":"DE"}'),
    ('acc_s', 'reseller', 'Sub-reseller', 'acc_r', 'acc_p.acc_r.acc_s.', '{"email":"s@x.test"}', '{"country":"DE"}')`.execute(db);
  await sql`insert into accounts (id, type, name, vendor_id, path, contact, address)
    select 'acc_c' || i, 'customer', 'Customer ' || i, 'acc_s', 'acc_p.acc_r.acc_s.acc_c' || i || '.', '{"email":"c@x.test"}', '{"country":"DE"}'
    from generate_series(1, ${CUSTOMERS}) i`.execute(db);
  await sql`insert into products (id, mpn, name, isv_name, connector, unit, billing_period, billing_model, min_quantity, max_quantity, msrp_amount, msrp_currency, status)
    values ('prd_bench', 'BENCH-GB', 'Storage', 'Acme', 'demo', 'GB', 'month', 'payg', 1, 1, 9, 'USD', 'published')`.execute(db);
  await sql`insert into subscriptions (id, account_id, account_path, product_id, mpn, quantity, status, started_at, renews_at)
    select 'sub_' || i, 'acc_c' || i, 'acc_p.acc_r.acc_s.acc_c' || i || '.', 'prd_bench', 'BENCH-GB', 1, 'active', '2026-10-01', '2026-11-01'
    from generate_series(1, ${CUSTOMERS}) i`.execute(db);
  await sql`insert into statements (id, buyer_id, buyer_path, vendor_id, currency, month)
    select 'stm_c' || i, 'acc_c' || i, 'acc_p.acc_r.acc_s.acc_c' || i || '.', 'acc_s', 'USD', '2026-10-01'::date from generate_series(1, ${CUSTOMERS}) i
    union all select 'stm_s', 'acc_s', 'acc_p.acc_r.acc_s.', 'acc_r', 'USD', '2026-10-01'::date
    union all select 'stm_r', 'acc_r', 'acc_p.acc_r.', 'acc_p', 'USD', '2026-10-01'::date`.execute(db);
  await sql`insert into usage_records (id, subscription_id, unit, quantity, period_start, period_end, idempotency_key, reported_by, reported_at)
    select 'usg_' || n, 'sub_' || (1 + n % ${CUSTOMERS}), 'GB', 1 + n % 97,
      '2026-10-01'::timestamptz + (n % 30) * interval '1 day', '2026-10-01'::timestamptz + (n % 30 + 1) * interval '1 day',
      'k' || n, 'key_bench', '2026-11-01' from generate_series(1, ${records}) n`.execute(db);
  await sql`insert into charges (id, source, subscription_id, kind, quantity, period_start, period_end, days_billed, days_in_period, occurred_at)
    select 'chg_' || substr(id, 5), 'usage:' || id, subscription_id, 'usage', quantity, period_start, period_end, 1, 1, period_start from usage_records`.execute(
    db,
  );
  // Unit prices down the chain: 5 (provider → reseller), 7 (→ sub-reseller), 9 (→ customer).
  await sql`insert into rated_lines (id, charge_id, statement_id, tier, kind, subscription_id, customer_id, buyer_id, buyer_path, vendor_id, mpn,
      quantity, unit_price, price_amount, price_currency, unit_cost, cost_amount, cost_currency, occurred_at)
    select 'rln_' || t.tier || '_' || c.id, c.id, t.statement || case when t.tier = 0 then substr(s.account_id, 6) else '' end, t.tier, 'usage',
      c.subscription_id, s.account_id, case when t.tier = 0 then s.account_id else t.buyer end,
      case when t.tier = 0 then s.account_path else t.path end, t.vendor, 'BENCH-GB', c.quantity, t.unit, t.unit * c.quantity, 'USD',
      t.cost, t.cost * c.quantity, case when t.cost is null then null else 'USD' end, c.occurred_at
    from charges c join subscriptions s on s.id = c.subscription_id
    cross join (values (0, 'stm_c', null, null, 'acc_s', 9, 7), (1, 'stm_s', 'acc_s', 'acc_p.acc_r.acc_s.', 'acc_r', 7, 5),
                       (2, 'stm_r', 'acc_r', 'acc_p.acc_r.', 'acc_p', 5, null)) as t(tier, statement, buyer, path, vendor, unit, cost)`.execute(
    db,
  );
  await sql`analyze`.execute(db);
}

async function reopen(db: Db) {
  await sql`update statements set status = 'open', total_amount = null, line_count = null, issued_at = null`.execute(db);
  await sql`delete from events where type = 'statement.issued'`.execute(db);
}

export const billingClose: Benchmark = {
  id: "7",
  title: "closing a month with 100,000 usage records",
  async run(opts) {
    const records = opts.quick ? 10_000 : 100_000;
    const { db } = await scratchDatabase(`canopy_bench_billing_${records}`);
    try {
      await seed(db, records, opts);
      const runs: { closeMs: number; baselineMs: number; peakRssMiB: number; heapGrowthMiB: number }[] = [];
      for (let r = 0; r < opts.repetitions; r++) {
        await reopen(db);
        const t0 = process.hrtime.bigint();
        await sql`select statement_id, sum(price_amount), count(*) from rated_lines group by statement_id`.execute(db);
        const baselineMs = Number(process.hrtime.bigint() - t0) / 1e6;

        global.gc?.();
        const heapBefore = process.memoryUsage().heapUsed;
        let peakRss = process.memoryUsage().rss;
        let peakHeap = heapBefore;
        const sampler = setInterval(() => {
          const m = process.memoryUsage();
          peakRss = Math.max(peakRss, m.rss);
          peakHeap = Math.max(peakHeap, m.heapUsed);
        }, 10);
        const t1 = process.hrtime.bigint();
        const closed = await closeMonths(db, new Date("2026-11-01T00:00:05Z"));
        const closeMs = Number(process.hrtime.bigint() - t1) / 1e6;
        clearInterval(sampler);
        if (closed.issued !== CUSTOMERS + 2) throw new Error(`expected ${CUSTOMERS + 2} statements issued, got ${closed.issued}`);
        const total = await sql<{ t: number }>`select sum(total_amount)::bigint as t from statements`.execute(db);
        const expected = await sql<{ t: number }>`select sum(price_amount)::bigint as t from rated_lines`.execute(db);
        if (Number(total.rows[0]!.t) !== Number(expected.rows[0]!.t)) throw new Error("issued totals differ from the lines");
        runs.push({ closeMs, baselineMs, peakRssMiB: peakRss / 2 ** 20, heapGrowthMiB: (peakHeap - heapBefore) / 2 ** 20 });
        opts.log(
          `  close ${closeMs.toFixed(0)} ms (aggregate ${baselineMs.toFixed(0)} ms), peak RSS ${(peakRss / 2 ** 20).toFixed(0)} MiB`,
        );
      }
      const closeMs = median(runs.map((r) => r.closeMs));
      const baselineMs = median(runs.map((r) => r.baselineMs));
      const rows: Row[] = [
        {
          id: "7",
          benchmark: `month close, ${records.toLocaleString("en")} usage records (${(records * 3).toLocaleString("en")} lines, ${CUSTOMERS + 2} statements), ms`,
          unit: "ms",
          value: closeMs,
          baseline: baselineMs,
          ratio: closeMs / baselineMs,
          goal: "report",
          met: null,
          runs,
          note: `peak RSS ${median(runs.map((r) => r.peakRssMiB)).toFixed(0)} MiB, heap growth ${median(runs.map((r) => r.heapGrowthMiB)).toFixed(1)} MiB`,
        },
      ];
      return rows;
    } finally {
      await db.destroy();
    }
  },
};
