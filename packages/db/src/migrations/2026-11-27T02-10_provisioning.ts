import type { Kysely } from "kysely";
import { sql } from "kysely";

// Frozen in time: written against Kysely<any> so later type changes never rewrite history.
export async function up(db: Kysely<any>): Promise<void> {
  // Subscriptions suspended because an account at or above theirs is on adminHold, and that
  // must resume when the hold is lifted (a subscription the vendor suspended must not).
  await db.schema
    .createTable("subscription_holds")
    .addColumn("subscription_id", "text", (c) => c.primaryKey().references("subscriptions.id").onDelete("cascade"))
    .addColumn("held_at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable("subscription_holds").execute();
}
