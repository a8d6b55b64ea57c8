import { type Kysely, sql } from "kysely";

// Processes that cache "this token stands for this actor" (the API) LISTEN on this channel and
// forget everything they cached when a notification arrives. The triggers fire on every change
// that can end or narrow a credential: a session ended, a key revoked or deleted, a user
// disabled, deleted, moved or given another role, an account suspended, cancelled or moved.
// pg_notify inside the changing transaction is delivered at its commit (and never on rollback),
// and Postgres folds identical notifications of one transaction into one.
const CHANNEL = "canopy_credentials";

export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    create function canopy_notify_credentials() returns trigger language plpgsql as $$
    begin
      perform pg_notify(${sql.lit(CHANNEL)}, '');
      return null;
    end $$`.execute(db);
  await sql`create trigger sessions_credentials after delete or update on sessions
    for each statement execute function canopy_notify_credentials()`.execute(db);
  await sql`create trigger api_keys_credentials after delete or update of revoked_at, account_id, key_hash on api_keys
    for each statement execute function canopy_notify_credentials()`.execute(db);
  await sql`create trigger users_credentials_update after update on users for each row
    when ((old.status, old.role, old.account_id, old.account_path) is distinct from (new.status, new.role, new.account_id, new.account_path))
    execute function canopy_notify_credentials()`.execute(db);
  await sql`create trigger users_credentials_delete after delete on users
    for each statement execute function canopy_notify_credentials()`.execute(db);
  await sql`create trigger accounts_credentials_update after update on accounts for each row
    when ((old.status, old.path, old.type) is distinct from (new.status, new.path, new.type))
    execute function canopy_notify_credentials()`.execute(db);
  await sql`create trigger accounts_credentials_delete after delete on accounts
    for each statement execute function canopy_notify_credentials()`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const [trigger, table] of [
    ["sessions_credentials", "sessions"],
    ["api_keys_credentials", "api_keys"],
    ["users_credentials_update", "users"],
    ["users_credentials_delete", "users"],
    ["accounts_credentials_update", "accounts"],
    ["accounts_credentials_delete", "accounts"],
  ] as const) {
    await sql`drop trigger if exists ${sql.id(trigger)} on ${sql.id(table)}`.execute(db);
  }
  await sql`drop function if exists canopy_notify_credentials()`.execute(db);
}
