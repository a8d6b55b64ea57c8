import { type Kysely, sql } from "kysely";

// Frozen in time: written against Kysely<any> so later type changes never rewrite history.
// Product search matches each word of the query on its own (lower-cased, as LIKE on a
// lower-cased expression: no case folding per candidate row in the recheck). The account
// listing's filters keep the path order: one (filter, path) index per filter the panel offers,
// so a rare status or type is a range scan instead of a walk of the whole subtree, and names
// are searched by trigram.
export async function up(db: Kysely<any>): Promise<void> {
  await sql`create index products_search_lower on products using gin (lower(name || ' ' || mpn) gin_trgm_ops)`.execute(db);
  await sql`drop index if exists products_search`.execute(db);
  await db.schema.createIndex("accounts_status_path").on("accounts").columns(["status", "path"]).execute();
  await db.schema.createIndex("accounts_type_path").on("accounts").columns(["type", "path"]).execute();
  await sql`create index accounts_name_search on accounts using gin (lower(name) gin_trgm_ops)`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop index if exists accounts_name_search`.execute(db);
  await db.schema.dropIndex("accounts_type_path").ifExists().execute();
  await db.schema.dropIndex("accounts_status_path").ifExists().execute();
  await sql`create index if not exists products_search on products using gin ((name || ' ' || mpn) gin_trgm_ops)`.execute(db);
  await sql`drop index if exists products_search_lower`.execute(db);
}
