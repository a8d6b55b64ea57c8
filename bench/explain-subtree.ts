// EXPLAIN ANALYZE of the first page of a subtree listing (the exact query accounts.list runs)
// on a database seeded with about a million accounts.  Usage: npx tsx bench/explain-subtree.ts [--fresh]
import { sql } from "@canopy/db";
import { listAccountsQuery } from "@canopy/domain/identity";
import { scratchDatabase } from "./lib/scratch-db";
import { MILLION, seedAccountTree } from "./lib/seed-accounts";

const { db } = await scratchDatabase("canopy_bench_accounts", { fresh: process.argv.includes("--fresh") });
const count = Number((await sql<{ n: string }>`select count(*) as n from accounts`.execute(db)).rows[0]!.n);
if (count < 1_000_000) {
  const started = Date.now();
  const { total } = await seedAccountTree(db, MILLION);
  console.log(`seeded ${total.toLocaleString("en")} accounts in ${((Date.now() - started) / 1000).toFixed(1)} s`);
}
const reseller = await sql<{ path: string }>`select path from accounts where id = 'acc_r000000000000000000000050'`.execute(db);
const subReseller = await sql<{
  path: string;
}>`select path from accounts where type = 'reseller' and vendor_id = 'acc_r000000000000000000000050' order by path limit 1`.execute(db);
const cases = [
  ["provider (whole platform)", "acc_p000000000000000000000000."],
  ["reseller (≈10,000 accounts below)", reseller.rows[0]!.path],
  ["sub-reseller (≈1,000 accounts below)", subReseller.rows[0]!.path],
] as const;
for (const [label, path] of cases) {
  const query = listAccountsQuery(db, { subtreeOf: path, limit: 50 });
  const plan = await query.explain("text", sql`analyze, buffers`);
  console.log(`\n-- subtree of ${label}, first page of 50\n${plan.map((r) => r["QUERY PLAN"]).join("\n")}`);
}
await db.destroy();
