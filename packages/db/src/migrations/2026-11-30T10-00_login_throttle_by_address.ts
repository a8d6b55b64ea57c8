import { type Kysely, sql } from "kysely";

// Failed logins counted per (email, client address), so that a stranger's wrong passwords do
// not lock a user out who signs in from elsewhere, plus one row per address for all emails
// (email '*', which no real email is) with a looser limit. The counts are short-lived: the
// ones kept per email alone are dropped rather than carried over.
export async function up(db: Kysely<any>): Promise<void> {
  await sql`delete from login_throttle`.execute(db);
  await db.schema.alterTable("login_throttle").addColumn("address", "text", (c) => c.notNull()).execute();
  await sql`alter table login_throttle drop constraint login_throttle_pkey, add primary key (email, address)`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`delete from login_throttle`.execute(db);
  await sql`alter table login_throttle drop constraint login_throttle_pkey`.execute(db);
  await db.schema.alterTable("login_throttle").dropColumn("address").execute();
  await sql`alter table login_throttle add primary key (email)`.execute(db);
}
