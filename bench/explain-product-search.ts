// EXPLAIN (ANALYZE, BUFFERS) of product searches (the exact query products.list runs) over
// 100,000 seeded products, in a scratch database created for the run and dropped after it.
// Usage: npx tsx bench/explain-product-search.ts [--keep]
import { sql } from "@canopy/db";
import { listProductsQuery } from "@canopy/domain/catalog";
import { dropScratchDatabase, scratchDatabase } from "./lib/scratch-db";
import { seedProducts } from "./lib/seed-products";

const NAME = "canopy_bench_products";
const PRODUCTS = 100_000;

// A fresh database for each run (the benchmark runner keeps its own seeded ones).
const { db } = await scratchDatabase(NAME, { fresh: true });
try {
  const started = Date.now();
  await seedProducts(db, PRODUCTS);
  console.log(`seeded ${PRODUCTS.toLocaleString("en")} products in ${((Date.now() - started) / 1000).toFixed(1)} s`);

  const sample = await sql<{ mpn: string }>`select mpn from products where id = 'prd_bench00000000000000054321'`.execute(db);
  const fragment = sample.rows[0]!.mpn.split("-")[1]!; // the 6 hex characters in the middle of one MPN
  const cases: [string, string | undefined, string | undefined][] = [
    ["q = one MPN's middle fragment (1 match)", fragment.toLowerCase(), undefined],
    ["q = 4 characters inside that fragment (by trigram on the MPN)", fragment.slice(1, 5).toLowerCase(), undefined],
    ["q = 'vault premium' (≈ 800 matches)", "vault premium", undefined],
    ["q = 'premium vault' (the same, words in the other order)", "premium vault", undefined],
    ["q = 'vault' (≈ 7,000 matches, first page of 50)", "vault", undefined],
    ["q = 'quantum' (no match)", "quantum", undefined],
    ["q = 'kas-' and isvName = 'Kaspersky' (≈ 9,000 matches)", "kas-", "Kaspersky"],
  ];
  for (const [label, q, isvName] of cases) {
    // What a reseller or customer runs: published and retired products, the first page of 50.
    const query = listProductsQuery(db, { q, isvName, visible: ["published", "retired"], limit: 50 });
    const plan = await query.explain("text", sql`analyze, buffers`);
    console.log(`\n-- ${label}\n${plan.map((r) => r["QUERY PLAN"]).join("\n")}`);
  }
} finally {
  await db.destroy();
  if (!process.argv.includes("--keep")) await dropScratchDatabase(NAME);
}
