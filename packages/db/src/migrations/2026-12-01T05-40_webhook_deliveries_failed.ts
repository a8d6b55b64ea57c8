import type { Kysely } from "kysely";
import { sql } from "kysely";

// Frozen in time: written against Kysely<any> so later type changes never rewrite history.
// The operators' list of failed deliveries across the platform (`deliveries.list` with
// `scope: "subtree", status: "failed"`, polled while the Operations screen is open) reads the
// newest failed rows by id. Failed rows are few among many succeeded ones: without this index
// that read walks the whole table back to front whenever there are fewer failures than a page.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createIndex("webhook_deliveries_failed")
    .on("webhook_deliveries")
    .column("id")
    .where(sql.ref("status"), "=", "failed")
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex("webhook_deliveries_failed").execute();
}
