import { type Kysely, sql } from "kysely";

// Frozen in time: written against Kysely<any> so later type changes never rewrite history.
// The audit trail (docs/events.md#who-did-it): every event says who caused it and in which
// request. Events written before this migration cannot say: they read as the system with no id
// and no request. The default exists only to fill those rows; it is dropped at once, so every
// new event must name its actor.
export async function up(db: Kysely<any>): Promise<void> {
  await sql`alter table events
    add column actor_type text not null default 'system' check (actor_type in ('user', 'api_key', 'system')),
    add column actor_id text,
    add column request_id text`.execute(db);
  await sql`alter table events alter column actor_type drop default`.execute(db);
  // events.list({actorId}) within the caller's subtree: equality on the actor, then the same
  // (path range, id) shape as events_account_path, so another tree's actor costs one index probe.
  await db.schema.createIndex("events_actor_path").on("events").columns(["actor_id", "account_path", "id"]).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex("events_actor_path").ifExists().execute();
  await sql`alter table events drop column request_id, drop column actor_id, drop column actor_type`.execute(db);
}
