import { type Kysely, sql } from "kysely";

/**
 * Catalog, prices, orders and subscriptions. Frozen in time: written against Kysely<any>.
 *
 * Statuses, for everyone who reads or moves these rows (the API places, the worker provisions):
 *
 * products.status
 *   draft      created by the provider, not orderable, invisible to everyone but the provider
 *   published  orderable by every account
 *   retired    no new sales orders; existing subscriptions keep being served, changed, renewed
 *
 * orders.status (docs/orders.md)
 *   submitted   recorded by orders.place with its priced items and `order.created`; the worker
 *               has not started it. Only here can orders.cancel move it to `cancelled`.
 *   processing  the worker took it (`order.processing`); it calls the product's connector
 *   completed   every item carried out (`order.completed`)
 *   error       a permanent failure or retries ran out; `error_message` says why (`order.failed`)
 *   cancelled   cancelled while still `submitted` (`order.cancelled`); nothing was provisioned
 * Moves must be conditional updates (`... where status = 'submitted'`), so that a cancel and the
 * worker taking the order cannot both win.
 *
 * orders.type: `sales` creates one subscription per item; `change` sets a subscription's
 * quantity to the item's quantity; `cancellation` ends a subscription; `renewal` renews one.
 * orders.subscription_id: the subscription a change/cancellation/renewal order concerns (exactly
 * one); null for sales orders, whose items each name the subscription they create.
 * At most one order per subscription is open (submitted or processing) at a time.
 *
 * subscriptions.status (docs/orders.md)
 *   pending     a sales order for it was accepted: created by orders.place in the same
 *               transaction as the order (`subscription.created`); not provisioned yet
 *   active      provisioned by the worker (`subscription.activated`); `started_at` set
 *   suspended   service suspended (vendor request or account on adminHold)
 *   terminated  final: cancelled, or its sales order was cancelled or failed
 * subscriptions.pending_action: `suspend` or `resume` requested by the vendor side
 *   (subscriptions.suspend/resume, recorded with a `subscription.updated` event); the worker
 *   carries it out through the connector, sets the status, clears the column and emits
 *   `subscription.suspended` / `subscription.resumed`. Null when nothing is waiting.
 * subscription_seats: the users (service users or admins of the subscription's account) who
 *   hold a seat; never more rows than the subscription's quantity.
 *
 * Money is bigint minor units with an ISO 4217 currency next to it. An order has one currency.
 */
export async function up(db: Kysely<any>): Promise<void> {
  // Trigram search over product names and MPNs (substring matches on codes like "MS-O365-E3",
  // which full-text tokenisation would split and stem).
  await sql`create extension if not exists pg_trgm`.execute(db);

  await db.schema
    .createTable("products")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("mpn", "text", (c) => c.notNull().unique())
    .addColumn("name", "text", (c) => c.notNull())
    .addColumn("description", "text")
    .addColumn("isv_name", "text", (c) => c.notNull())
    .addColumn("connector", "text", (c) => c.notNull())
    .addColumn("connector_config", "jsonb")
    .addColumn("unit", "text", (c) => c.notNull())
    .addColumn("billing_period", "text", (c) => c.notNull().check(sql`billing_period in ('month','year')`))
    .addColumn("min_quantity", "integer", (c) => c.notNull().check(sql`min_quantity >= 1`))
    .addColumn("max_quantity", "integer", (c) => c.notNull())
    .addColumn("msrp_amount", "bigint", (c) => c.notNull().check(sql`msrp_amount >= 0`))
    .addColumn("msrp_currency", "text", (c) => c.notNull())
    .addColumn("status", "text", (c) => c.notNull().defaultTo("draft").check(sql`status in ('draft','published','retired')`))
    .addColumn("created_at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn("updated_at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn("version", "integer", (c) => c.notNull().defaultTo(1))
    .addCheckConstraint("products_quantity_range", sql`max_quantity >= min_quantity`)
    .execute();
  await sql`create index products_search on products using gin ((name || ' ' || mpn) gin_trgm_ops)`.execute(db);
  await db.schema.createIndex("products_isv_name").on("products").columns(["isv_name", "mpn"]).execute();

  // One price per vendor and MPN: what the vendor charges the accounts directly below it.
  await db.schema
    .createTable("prices")
    .addColumn("vendor_id", "text", (c) => c.notNull().references("accounts.id"))
    .addColumn("mpn", "text", (c) => c.notNull().references("products.mpn"))
    .addColumn("amount", "bigint", (c) => c.notNull().check(sql`amount >= 0`))
    .addColumn("currency", "text", (c) => c.notNull())
    .addColumn("created_at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn("updated_at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
    .addPrimaryKeyConstraint("prices_pkey", ["vendor_id", "mpn"])
    .execute();

  await db.schema
    .createTable("subscriptions")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("account_id", "text", (c) => c.notNull().references("accounts.id"))
    .addColumn("account_path", sql`text collate "C"`, (c) => c.notNull())
    .addColumn("product_id", "text", (c) => c.notNull().references("products.id"))
    .addColumn("mpn", "text", (c) => c.notNull())
    .addColumn("quantity", "integer", (c) => c.notNull().check(sql`quantity >= 0`))
    .addColumn("status", "text", (c) =>
      c.notNull().defaultTo("pending").check(sql`status in ('pending','active','suspended','terminated')`),
    )
    .addColumn("pending_action", "text", (c) => c.check(sql`pending_action in ('suspend','resume')`))
    .addColumn("service_ref", "text")
    .addColumn("started_at", "timestamptz")
    .addColumn("renews_at", "timestamptz")
    .addColumn("created_at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn("updated_at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn("version", "integer", (c) => c.notNull().defaultTo(1))
    .execute();
  await db.schema.createIndex("subscriptions_account_path").on("subscriptions").columns(["account_path", "id"]).execute();

  await db.schema
    .createTable("subscription_seats")
    .addColumn("subscription_id", "text", (c) => c.notNull().references("subscriptions.id").onDelete("cascade"))
    .addColumn("user_id", "text", (c) => c.notNull().references("users.id").onDelete("cascade"))
    .addColumn("assigned_at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
    .addPrimaryKeyConstraint("subscription_seats_pkey", ["subscription_id", "user_id"])
    .execute();
  // "My seats" for a service user.
  await db.schema.createIndex("subscription_seats_user").on("subscription_seats").columns(["user_id", "subscription_id"]).execute();

  await db.schema
    .createTable("orders")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("account_id", "text", (c) => c.notNull().references("accounts.id"))
    .addColumn("account_path", sql`text collate "C"`, (c) => c.notNull())
    .addColumn("type", "text", (c) => c.notNull().check(sql`type in ('sales','change','cancellation','renewal')`))
    .addColumn("status", "text", (c) =>
      c.notNull().defaultTo("submitted").check(sql`status in ('submitted','processing','completed','error','cancelled')`),
    )
    .addColumn("total_amount", "bigint", (c) => c.notNull())
    .addColumn("currency", "text", (c) => c.notNull())
    .addColumn("idempotency_key", "text")
    // sha256 of the canonical request: a replay with the same key must carry the same content.
    .addColumn("request_hash", "text", (c) => c.notNull())
    .addColumn("placed_by", "text", (c) => c.notNull())
    .addColumn("error_message", "text")
    .addColumn("subscription_id", "text", (c) => c.references("subscriptions.id"))
    .addColumn("created_at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn("updated_at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn("version", "integer", (c) => c.notNull().defaultTo(1))
    .addCheckConstraint("orders_subscription_presence", sql`(type = 'sales') = (subscription_id is null)`)
    .execute();
  await db.schema
    .createIndex("orders_idempotency")
    .on("orders")
    .columns(["account_id", "idempotency_key"])
    .unique()
    .where(sql.ref("idempotency_key"), "is not", null)
    .execute();
  await db.schema.createIndex("orders_account_path").on("orders").columns(["account_path", "id"]).execute();
  // The worker's backlog, and the guard that keeps one open order per subscription.
  await sql`create index orders_open on orders (id) where status in ('submitted','processing')`.execute(db);
  await sql`create unique index orders_one_open_per_subscription on orders (subscription_id)
    where status in ('submitted','processing')`.execute(db);

  await db.schema
    .createTable("order_items")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("order_id", "text", (c) => c.notNull().references("orders.id"))
    .addColumn("position", "integer", (c) => c.notNull())
    .addColumn("mpn", "text", (c) => c.notNull())
    .addColumn("product_id", "text", (c) => c.notNull().references("products.id"))
    .addColumn("quantity", "integer", (c) => c.notNull().check(sql`quantity >= 0`))
    .addColumn("unit_price", "bigint", (c) => c.notNull())
    .addColumn("total", "bigint", (c) => c.notNull())
    .addColumn("subscription_id", "text", (c) => c.references("subscriptions.id"))
    .addUniqueConstraint("order_items_position", ["order_id", "position"])
    .execute();
  await db.schema.createIndex("order_items_subscription").on("order_items").column("subscription_id").execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const table of ["order_items", "orders", "subscription_seats", "subscriptions", "prices", "products"]) {
    await db.schema.dropTable(table).execute();
  }
}
