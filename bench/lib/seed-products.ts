import { type Db, sql } from "@canopy/db";

/**
 * Seeds `count` products shaped like a real catalog (ISV prefixes, families, editions, numbered
 * SKUs; 90 % published), set-based. The generator of bench/explain-product-search.ts, so the
 * EXPLAIN and the timing look at the same data.
 */
export async function seedProducts(db: Db, count: number): Promise<void> {
  await sql`truncate products cascade`.execute(db);
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
    from generate_series(1, ${count}) i`.execute(db);
  await sql`vacuum analyze products`.execute(db);
  // Its search terms (written by the insert's trigger): vacuumed so the term streams are read
  // from the index alone, as autovacuum would leave them in a catalog that is not freshly loaded.
  await sql`vacuum analyze product_search_terms`.execute(db);
}
