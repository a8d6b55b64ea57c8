import { type Kysely, sql } from "kysely";

// Frozen in time: written against Kysely<any> so later type changes never rewrite history.
// accounts.list with a name search in a subtree (bench #5c, "customer 42" in a reseller's view):
// a word every name has ("customer") leaves the path order as the plan, and the rows of the
// subtree are read until a page of names matches — ≈ 2,400 rows at 1,000,000 accounts, each on
// its own heap page. With the name beside the path in the index the walk reads index pages only
// (an index-only scan, the listing query picks its page of paths first) and the heap is read for
// the page's rows alone.
export async function up(db: Kysely<any>): Promise<void> {
  await sql`create index accounts_path_name on accounts (path) include (name)`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop index if exists accounts_path_name`.execute(db);
}
