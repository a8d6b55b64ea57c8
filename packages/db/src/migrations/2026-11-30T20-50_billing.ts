import { type Kysely, sql } from "kysely";

/**
 * Billing (docs/billing.md). Frozen in time: written against Kysely<any>.
 *
 * products.billing_model  `license` (per unit per term) | `payg` (per reported unit of usage).
 *   The term stays in products.billing_period (`month` | `year`); the API calls it `term`
 *   (`monthly` | `annual`) and still accepts and returns `billingPeriod`.
 * subscriptions.auto_renew  when false, the worker ends the subscription at `renews_at` instead
 *   of placing the renewal order.
 * api_keys.kind  `account` (default) | `isv`: an ISV's key, created by the provider, that may
 *   report usage.
 *
 * billing_terms  the period a subscription was last billed for and at which quantity: the base
 *   of proration (a change order bills the difference for the rest of this period).
 * charges  one row per thing billed (an order item's licence fee, change or renewal; a usage
 *   record), unique by `source`: rating the same thing twice writes nothing.
 * rated_lines  one row per charge and tier of the chain: `price` is what the buyer pays its
 *   vendor, `cost` what that vendor pays its own vendor (null when the vendor is the provider).
 *   Each line sits on exactly one statement.
 * statements  one per (buyer, vendor, currency, month): `open` until the month is closed, then
 *   `issued` with its totals, and never changed again.
 * usage_records  reported usage, unique per (subscription, idempotency key).
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .alterTable("products")
    .addColumn("billing_model", "text", (c) => c.notNull().defaultTo("license").check(sql`billing_model in ('license','payg')`))
    .execute();
  await db.schema
    .alterTable("subscriptions")
    .addColumn("auto_renew", "boolean", (c) => c.notNull().defaultTo(true))
    .execute();
  // The renewal scan: active subscriptions by due date (the status filter keeps the index small).
  await sql`create index subscriptions_renewal_due on subscriptions (renews_at) where status = 'active'`.execute(db);
  await db.schema
    .alterTable("api_keys")
    .addColumn("kind", "text", (c) => c.notNull().defaultTo("account").check(sql`kind in ('account','isv')`))
    .execute();

  await db.schema
    .createTable("billing_terms")
    .addColumn("subscription_id", "text", (c) => c.primaryKey().references("subscriptions.id"))
    .addColumn("quantity", "integer", (c) => c.notNull())
    .addColumn("period_start", "timestamptz", (c) => c.notNull())
    .addColumn("period_end", "timestamptz", (c) => c.notNull())
    .execute();

  await db.schema
    .createTable("statements")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("buyer_id", "text", (c) => c.notNull().references("accounts.id"))
    .addColumn("buyer_path", sql`text collate "C"`, (c) => c.notNull())
    .addColumn("vendor_id", "text", (c) => c.notNull().references("accounts.id"))
    .addColumn("currency", "text", (c) => c.notNull())
    .addColumn("month", "date", (c) => c.notNull())
    .addColumn("status", "text", (c) => c.notNull().defaultTo("open").check(sql`status in ('open','issued')`))
    .addColumn("total_amount", "bigint")
    .addColumn("line_count", "integer")
    .addColumn("issued_at", "timestamptz")
    .addColumn("created_at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
    .addUniqueConstraint("statements_one_per_month", ["buyer_id", "vendor_id", "currency", "month"])
    .execute();
  await db.schema.createIndex("statements_buyer_path").on("statements").columns(["buyer_path", "month"]).execute();
  await db.schema.createIndex("statements_vendor").on("statements").columns(["vendor_id", "month"]).execute();
  await sql`create index statements_open on statements (month) where status = 'open'`.execute(db);

  await db.schema
    .createTable("usage_records")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("subscription_id", "text", (c) => c.notNull().references("subscriptions.id"))
    .addColumn("unit", "text", (c) => c.notNull())
    .addColumn("quantity", "bigint", (c) => c.notNull().check(sql`quantity >= 0`))
    .addColumn("period_start", "timestamptz", (c) => c.notNull())
    .addColumn("period_end", "timestamptz", (c) => c.notNull())
    .addColumn("idempotency_key", "text", (c) => c.notNull())
    .addColumn("reported_by", "text", (c) => c.notNull())
    .addColumn("reported_at", "timestamptz", (c) => c.notNull())
    .addUniqueConstraint("usage_records_key", ["subscription_id", "idempotency_key"])
    .execute();

  await db.schema
    .createTable("charges")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("source", "text", (c) => c.notNull().unique())
    .addColumn("subscription_id", "text", (c) => c.notNull().references("subscriptions.id"))
    .addColumn("kind", "text", (c) => c.notNull().check(sql`kind in ('license','change','renewal','usage')`))
    .addColumn("quantity", "bigint", (c) => c.notNull())
    .addColumn("period_start", "timestamptz", (c) => c.notNull())
    .addColumn("period_end", "timestamptz", (c) => c.notNull())
    .addColumn("days_billed", "integer", (c) => c.notNull())
    .addColumn("days_in_period", "integer", (c) => c.notNull())
    .addColumn("occurred_at", "timestamptz", (c) => c.notNull())
    .execute();

  await db.schema
    .createTable("rated_lines")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("charge_id", "text", (c) => c.notNull().references("charges.id"))
    .addColumn("statement_id", "text", (c) => c.notNull().references("statements.id"))
    .addColumn("tier", "integer", (c) => c.notNull())
    .addColumn("kind", "text", (c) => c.notNull().check(sql`kind in ('license','change','renewal','usage','adjustment')`))
    .addColumn("subscription_id", "text", (c) => c.notNull())
    .addColumn("customer_id", "text", (c) => c.notNull())
    .addColumn("buyer_id", "text", (c) => c.notNull())
    .addColumn("buyer_path", sql`text collate "C"`, (c) => c.notNull())
    .addColumn("vendor_id", "text", (c) => c.notNull())
    .addColumn("mpn", "text", (c) => c.notNull())
    .addColumn("quantity", "bigint", (c) => c.notNull())
    .addColumn("unit_price", "bigint", (c) => c.notNull())
    .addColumn("price_amount", "bigint", (c) => c.notNull())
    .addColumn("price_currency", "text", (c) => c.notNull())
    .addColumn("unit_cost", "bigint")
    .addColumn("cost_amount", "bigint")
    .addColumn("cost_currency", "text")
    .addColumn("note", "text")
    .addColumn("occurred_at", "timestamptz", (c) => c.notNull())
    .addUniqueConstraint("rated_lines_once_per_tier", ["charge_id", "buyer_id"])
    .execute();
  await db.schema.createIndex("rated_lines_statement").on("rated_lines").columns(["statement_id", "id"]).execute();
  await db.schema.createIndex("rated_lines_vendor").on("rated_lines").columns(["vendor_id", "subscription_id"]).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const table of ["rated_lines", "charges", "usage_records", "statements", "billing_terms"])
    await db.schema.dropTable(table).execute();
  await db.schema.alterTable("api_keys").dropColumn("kind").execute();
  await sql`drop index subscriptions_renewal_due`.execute(db);
  await db.schema.alterTable("subscriptions").dropColumn("auto_renew").execute();
  await db.schema.alterTable("products").dropColumn("billing_model").execute();
}
