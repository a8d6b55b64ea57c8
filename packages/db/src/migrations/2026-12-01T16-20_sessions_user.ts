import type { Kysely } from "kysely";

// Frozen in time: written against Kysely<any> so later type changes never rewrite history.
// A user's sessions are ended together (a password change, a disabled user, `users.delete`'s
// cascade): without an index on user_id each of those scanned every session of the platform.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.createIndex("sessions_user").on("sessions").column("user_id").execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex("sessions_user").execute();
}
