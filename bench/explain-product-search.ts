// EXPLAIN (ANALYZE, BUFFERS) of product searches (the exact query products.list runs) over
// 100,000 seeded products, in a scratch database created for the run and dropped after it.
// Usage: npx tsx bench/explain-product-search.ts [--keep]
import { createDb, migrateToLatest, sql } from "@canopy/db";
import { listProductsQuery } from "@canopy/domain";
import pg from "pg";

const NAME = "canopy_bench_products";
const PRODUCTS = 100_000;
const base = process.env.DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/postgres";
const urlFor = (database: string) => Object.assign(new URL(base), { pathname: `/${database}` }).toString();

async function admin(statement: string) {
  const client = new pg.Client({ connectionString: urlFor("postgres") });
  await client.connect();
  try {
    await client.query(statement);
  } finally {
    await client.end();
  }
}

await admin(`drop database if exists ${NAME} with (force)`);
await admin(`create database ${NAME}`);
const db = createDb({ connectionString: urlFor(NAME), max: 2, applicationName: "canopy-bench" });
try {
  await migrateToLatest(db);
  const started = Date.now();
  // Names and MPNs shaped like a real catalog: ISV prefixes, families, editions, numbered SKUs.
  await sql`insert into products (id, mpn, name, description, isv_name, connector, unit, billing_period,
      min_quantity, max_quantity, msrp_amount, msrp_currency, status)
    select 'prd_bench' || lpad(i::text, 20, '0'),
      (array['MS','ADB','ACR','GGL','DBX','ZM','SLK','ATL','CRM','KAS'])[1 + i % 10] || '-'
        || upper(substr(md5(i::text), 1, 6)) || '-' || i,
      (array['Cloud','Secure','Smart','Team','Office','Data','Mail','Backup','Video','Identity','Analytics','Project'])[1 + (i / 7) % 12]
        || ' ' || (array['Suite','Drive','Vault','Meet','Chat','Guard','Sync','Desk','Flow','Hub','Insights','Archive','Sign'])[1 + (i / 3) % 13]
        || ' ' || (array['Basic','Standard','Business','Premium','Enterprise','E3','E5','Plus','Pro','Ultimate'])[1 + (i / 91) % 10]
        || ' ' || (i % 500),
      'Seeded for the product search benchmark',
      (array['Microsoft','Adobe','Acronis','Google','Dropbox','Zoom','Slack','Atlassian','Salesforce','Kaspersky'])[1 + i % 10],
      'demo', 'license', case when i % 4 = 0 then 'year' else 'month' end,
      1, 1000, 100 + (i % 5000) * 10, 'USD',
      case when i % 20 = 0 then 'draft' when i % 20 = 1 then 'retired' else 'published' end
    from generate_series(1, ${PRODUCTS}) i`.execute(db);
  await sql`vacuum analyze products`.execute(db);
  console.log(`seeded ${PRODUCTS.toLocaleString("en")} products in ${((Date.now() - started) / 1000).toFixed(1)} s`);

  const sample = await sql<{ mpn: string }>`select mpn from products where id = 'prd_bench00000000000000054321'`.execute(db);
  const fragment = sample.rows[0]!.mpn.split("-")[1]!; // the 6 hex characters in the middle of one MPN
  const cases: [string, string | undefined, string | undefined][] = [
    ["q = one MPN's middle fragment (1 match)", fragment.toLowerCase(), undefined],
    ["q = 'vault premium' (≈ 800 matches)", "vault premium", undefined],
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
  if (!process.argv.includes("--keep")) await admin(`drop database if exists ${NAME} with (force)`);
}
