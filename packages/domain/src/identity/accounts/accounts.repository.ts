import type { AccountRow, AccountUpdate, Db, NewAccountRow, SqlBool } from "@canopy/db";
import { sql } from "@canopy/db";
import { iso, likePattern, searchWords, subtreeRange } from "@canopy/domain/shared";
import type { Account } from "./accounts.schema";

export function toAccount(row: AccountRow): Account {
  return {
    id: row.id,
    type: row.type,
    name: row.name,
    vendorId: row.vendor_id,
    status: row.status,
    externalId: row.external_id,
    contact: row.contact,
    address: row.address,
    createdAt: iso(row.created_at),
    updatedAt: iso(row.updated_at),
    version: row.version,
  };
}

export async function findAccount(db: Db, id: string, opts: { forUpdate?: boolean } = {}) {
  let q = db.selectFrom("accounts").selectAll().where("id", "=", id);
  if (opts.forUpdate) q = q.forUpdate();
  return q.executeTakeFirst();
}

export async function findAccountInScope(db: Db, id: string, scopePath: string) {
  const { from, to } = subtreeRange(scopePath);
  return db.selectFrom("accounts").selectAll().where("id", "=", id).where("path", ">=", from).where("path", "<", to).executeTakeFirst();
}

export async function findProvider(db: Db) {
  return db.selectFrom("accounts").selectAll().where("type", "=", "provider").executeTakeFirst();
}

export async function insertAccount(db: Db, row: NewAccountRow) {
  return db.insertInto("accounts").values(row).returningAll().executeTakeFirstOrThrow();
}

/** Applies `changes` only if the row still has `version`; undefined means it was stale or gone. */
export async function updateAccountVersioned(db: Db, id: string, version: number, changes: AccountUpdate) {
  return db
    .updateTable("accounts")
    .set({ ...changes, updated_at: sql<Date>`now()`, version: sql<number>`version + 1` })
    .where("id", "=", id)
    .where("version", "=", version)
    .returningAll()
    .executeTakeFirst();
}

export interface AccountQuery {
  subtreeOf: string;
  vendorId?: string;
  type?: Account["type"];
  status?: Account["status"];
  externalId?: string;
  /** Words the account's name must contain (case-insensitive). */
  q?: string;
  afterPath?: string;
  limit: number;
}

/** Depth-first order (by path), so a page walks the tree the way a person reads it. */
export async function listAccounts(db: Db, q: AccountQuery) {
  return listAccountsQuery(db, q).execute();
}

/** The listing query itself, unexecuted, so that benchmarks can EXPLAIN exactly what the API runs. */
export function listAccountsQuery(db: Db, q: AccountQuery) {
  const { from, to } = subtreeRange(q.subtreeOf);
  let query = db
    .selectFrom("accounts")
    .selectAll()
    .where("path", ">=", from)
    .where("path", "<", to)
    .orderBy("path")
    .limit(q.limit + 1);
  if (q.afterPath) query = query.where("path", ">", q.afterPath);
  if (q.vendorId) query = query.where("vendor_id", "=", q.vendorId);
  if (q.type) query = query.where("type", "=", q.type);
  if (q.status) query = query.where("status", "=", q.status);
  if (q.externalId) query = query.where("external_id", "=", q.externalId);
  // Type and status have (filter, path) indexes. Only the longest word of q goes to the trigram
  // index `accounts_name_search` (same expression); the others are checked on the rows found.
  // Given several words, the planner costs their combined trigram scan as selective even when
  // one word ("customer") is in every name, and scans the whole index instead of the subtree.
  const [first, ...others] = q.q ? searchWords(q.q) : [];
  if (!first) return query;
  query = query.where(sql`lower(name)`, "like", likePattern(first));
  for (const word of others) query = query.where(sql`strpos(lower(name), ${word})`, ">", 0);
  // With a name search the page's paths are chosen first, from `accounts_path_name` alone when
  // the subtree is walked (an index-only scan: the name is beside the path), and only the page's
  // rows are read: a word every name has leaves thousands of rows to check per page.
  const paths = query.clearSelect().select("path");
  return db
    .selectFrom("accounts")
    .selectAll()
    .where(sql<SqlBool>`path = any(array(${paths}))`)
    .orderBy("path")
    .limit(q.limit + 1);
}
