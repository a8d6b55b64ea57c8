import type { Kysely } from "kysely";

// Frozen in time: written against Kysely<any> so later type changes never rewrite history.
// `queued_until`: until when a delivery is known to have a job in the queue. The sweep that
// enqueues due deliveries skips those, so a large backlog is not re-added on every tick.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable("webhook_deliveries").addColumn("queued_until", "timestamptz").execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable("webhook_deliveries").dropColumn("queued_until").execute();
}
