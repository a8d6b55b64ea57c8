// Benchmark 5: do listings stay as fast when the platform grows? p99 latency of the subtree
// listing (accounts.list) at ≈1,000,000 accounts against ≈10,000, and of product search
// (products.list with q) at 100,000 products against 1,000, and of the panel's filtered account
// listing (type, status, name search) at ≈1,000,000 accounts against ≈10,000. Measured through the domain
// service functions the procedures call (reach check, query, row mapping), one call at a
// time, so the figure is the database's scaling and not the HTTP stack's (benchmark 1).
import { type Db, sql } from "@canopy/db";
import { products } from "@canopy/domain/catalog";
import { type Actor, accounts } from "@canopy/domain/identity";
import { scratchDatabase } from "../lib/scratch-db";
import { type AccountTreeShape, MILLION, seedAccountTree, TEN_THOUSAND } from "../lib/seed-accounts";
import { seedProducts } from "../lib/seed-products";
import { median, percentile } from "../lib/stats";
import type { Benchmark, BenchOptions, Row } from "../lib/types";

const PROVIDER = "acc_p000000000000000000000000";
const RESELLER = "acc_r000000000000000000000005"; // exists in both trees
const actorOf = (id: string, path: string, type: Actor["accountType"]): Actor => ({
  kind: "apiKey",
  id: "key_bench",
  role: "admin",
  accountId: id,
  accountPath: path,
  accountType: type,
});

type Call = () => Promise<unknown>;

/** Times `calls` round-robin, `samples` calls in all, after a warm-up; returns milliseconds. */
async function time(calls: Call[], samples: number): Promise<number[]> {
  for (const call of calls) for (let i = 0; i < 20; i++) await call();
  const out: number[] = [];
  for (let i = 0; i < samples; i++) {
    const started = process.hrtime.bigint();
    await calls[i % calls.length]!();
    out.push(Number(process.hrtime.bigint() - started) / 1e6);
  }
  return out;
}

async function accountsDb(name: string, shape: AccountTreeShape, opts: BenchOptions) {
  const { db } = await scratchDatabase(name);
  const expected = 1 + shape.resellers * (1 + shape.subResellersEach * (1 + shape.customersEach));
  const { rows } = await sql<{ n: number }>`select count(*)::int as n from accounts`.execute(db);
  if (rows[0]!.n !== expected) {
    opts.log(`  seeding ${expected.toLocaleString("en")} accounts in ${name} (kept for later runs)…`);
    await seedAccountTree(db, shape);
  }
  const provider = actorOf(PROVIDER, `${PROVIDER}.`, "provider");
  const resellerPath = `${PROVIDER}.${RESELLER}.`;
  const reseller = actorOf(RESELLER, resellerPath, "reseller");
  const firstPage = await accounts.listAccounts(db, provider, { limit: 50 });
  const calls: Call[] = [
    () => accounts.listAccounts(db, provider, { limit: 50 }), // the whole platform, first page
    () => accounts.listAccounts(db, provider, { limit: 50, cursor: firstPage.nextCursor! }), // its second page
    () => accounts.listAccounts(db, provider, { limit: 50, rootId: RESELLER }), // one reseller's subtree
    () => accounts.listAccounts(db, reseller, { limit: 50 }), // the reseller's own view
  ];
  await seedPanelCases(db);
  const filtered: Call[] = [
    () => accounts.listAccounts(db, provider, { limit: 50, type: "reseller" }), // ≈0.1 % of the tree
    () => accounts.listAccounts(db, provider, { limit: 50, status: "creditHold" }), // ≈0.1 %, spread over the tree
    () => accounts.listAccounts(db, provider, { limit: 50, type: "customer", status: "active" }), // most of it
    () => accounts.listAccounts(db, provider, { limit: 50, q: "northwind" }), // one distinctive name
    () => accounts.listAccounts(db, provider, { limit: 50, q: "reseller 5" }), // two words, a handful of resellers
    () => accounts.listAccounts(db, reseller, { limit: 50, q: "customer 42" }), // a partial name in the reseller's own view
    () => accounts.listAccounts(db, reseller, { limit: 50, type: "customer", status: "creditHold" }),
  ];
  return { db, calls, filtered };
}

/**
 * What the seeded tree lacks for the panel's filters: every thousandth customer on credit hold,
 * and one customer with a distinctive name (its id exists in both trees). Idempotent.
 */
async function seedPanelCases(db: Db) {
  await sql`update accounts set status = 'creditHold' where type = 'customer' and right(id, 3) = '007' and status <> 'creditHold'`.execute(
    db,
  );
  await sql`update accounts set name = 'Northwind Traders GmbH' where id = 'acc_c000000000000000050030042' and name <> 'Northwind Traders GmbH'`.execute(
    db,
  );
  await sql`analyze accounts`.execute(db);
}

async function productsDb(name: string, count: number, opts: BenchOptions) {
  const { db } = await scratchDatabase(name);
  const { rows } = await sql<{ n: number }>`select count(*)::int as n from products`.execute(db);
  if (rows[0]!.n !== count) {
    opts.log(`  seeding ${count.toLocaleString("en")} products in ${name} (kept for later runs)…`);
    await seedProducts(db, count);
  }
  const customer = actorOf("acc_c_bench", "acc_c_bench.", "customer");
  const mpn = (await sql<{ mpn: string }>`select mpn from products order by id offset ${Math.floor(count / 2)} limit 1`.execute(db))
    .rows[0]!.mpn;
  const calls: Call[] = [
    () => products.listProducts(db, customer, { limit: 50, q: "vault" }),
    () => products.listProducts(db, customer, { limit: 50, q: "vault premium" }),
    () => products.listProducts(db, customer, { limit: 50, q: mpn.split("-")[1]!.toLowerCase() }), // part of one MPN
    () => products.listProducts(db, customer, { limit: 50, q: "kas-", isvName: "Kaspersky" }),
    () => products.listProducts(db, customer, { limit: 50, q: "quantum" }), // no match
  ];
  return { db, calls };
}

async function compare(
  label: string,
  large: { calls: Call[] },
  small: { calls: Call[] },
  samples: number,
  opts: BenchOptions,
  row: Omit<Row, "value" | "baseline" | "ratio" | "met" | "runs">,
): Promise<Row> {
  const runs: { value: number; baseline: number }[] = [];
  for (let i = 0; i < opts.repetitions; i++) {
    const baseline = percentile(await time(small.calls, samples), 99);
    const value = percentile(await time(large.calls, samples), 99);
    runs.push({ value, baseline });
    opts.log(`  #5 ${label} run ${i + 1}: p99 ${value.toFixed(2)} ms vs ${baseline.toFixed(2)} ms`);
  }
  const value = median(runs.map((r) => r.value));
  const baseline = median(runs.map((r) => r.baseline));
  return { ...row, value, baseline, ratio: value / baseline, met: value / baseline <= 2, runs };
}

export const listingScale: Benchmark = {
  id: "5",
  title: "subtree listing and product search at scale",
  async run(opts) {
    const samples = opts.quick ? 300 : 1000;
    const rows: Row[] = [];
    {
      const large = await accountsDb("canopy_bench_accounts", MILLION, opts);
      const small = await accountsDb("canopy_bench_accounts_10k", TEN_THOUSAND, opts);
      try {
        rows.push(
          await compare("subtree listing", large, small, samples, opts, {
            id: "5a",
            benchmark: "subtree listing p99, 1,000,000 vs 10,000 accounts",
            unit: "ms",
            goal: "≤ 2×",
          }),
        );
        rows.push(
          await compare("filtered account listing", { calls: large.filtered }, { calls: small.filtered }, samples, opts, {
            id: "5c",
            benchmark: "account listing with type/status/name filters p99, 1,000,000 vs 10,000 accounts",
            unit: "ms",
            goal: "≤ 2×",
          }),
        );
      } finally {
        await large.db.destroy();
        await small.db.destroy();
      }
    }
    {
      const large = await productsDb("canopy_bench_products_100k", 100_000, opts);
      const small = await productsDb("canopy_bench_products_1k", 1_000, opts);
      try {
        rows.push(
          await compare("product search", large, small, samples, opts, {
            id: "5b",
            benchmark: "product search p99, 100,000 vs 1,000 products",
            unit: "ms",
            goal: "≤ 2×",
          }),
        );
      } finally {
        await large.db.destroy();
        await small.db.destroy();
      }
    }
    return rows;
  },
};
