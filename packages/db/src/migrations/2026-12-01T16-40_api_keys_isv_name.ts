import type { Kysely } from "kysely";

// Frozen in time: written against Kysely<any> so later type changes never rewrite history.
// An ISV key names its ISV (a product's `isv_name`): it reports usage for that ISV's products only.
// Keys made before this have none and are refused until the provider issues a new one.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable("api_keys").addColumn("isv_name", "text").execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable("api_keys").dropColumn("isv_name").execute();
}
