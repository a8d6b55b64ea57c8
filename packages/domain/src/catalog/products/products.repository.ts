import type { Db, NewProductRow, ProductRow, ProductStatus, ProductsTable, SqlBool, Updateable } from "@canopy/db";
import { sql } from "@canopy/db";
import { iso, likePattern, searchWords } from "@canopy/domain/shared";
import { type Product, termOf } from "./products.schema";

export function toProduct(row: ProductRow, opts: { withConnectorConfig: boolean }): Product {
  return {
    id: row.id,
    mpn: row.mpn,
    name: row.name,
    description: row.description,
    isvName: row.isv_name,
    connector: row.connector,
    connectorConfig: opts.withConnectorConfig ? row.connector_config : null,
    unit: row.unit,
    billingPeriod: row.billing_period,
    term: termOf(row.billing_period),
    billingModel: row.billing_model,
    minQuantity: row.min_quantity,
    maxQuantity: row.max_quantity,
    msrp: { amount: row.msrp_amount, currency: row.msrp_currency },
    status: row.status,
    createdAt: iso(row.created_at),
    updatedAt: iso(row.updated_at),
    version: row.version,
  };
}

export async function findProduct(db: Db, by: { id?: string; mpn?: string }) {
  const q = db.selectFrom("products").selectAll();
  return (by.id !== undefined ? q.where("id", "=", by.id) : q.where("mpn", "=", by.mpn ?? "")).executeTakeFirst();
}

export async function insertProduct(db: Db, row: NewProductRow) {
  return db.insertInto("products").values(row).returningAll().executeTakeFirstOrThrow();
}

/** Applies `changes` if the row still has `version` (when given); undefined means stale or gone. */
export async function updateProduct(db: Db, id: string, version: number | undefined, changes: Updateable<ProductsTable>) {
  let q = db
    .updateTable("products")
    .set({ ...changes, updated_at: sql<Date>`now()`, version: sql<number>`version + 1` })
    .where("id", "=", id);
  if (version !== undefined) q = q.where("version", "=", version);
  return q.returningAll().executeTakeFirst();
}

export interface ProductQuery {
  mpn?: string;
  q?: string;
  isvName?: string;
  /** The statuses the reader may see (not empty). */
  visible: readonly ProductStatus[];
  /** One of `visible`. */
  status?: ProductStatus;
  afterMpn?: string;
  limit: number;
}

/** A word looked up in `product_search_terms`: letters and digits only, two or more. */
const isTermWord = (word: string) => /^[a-z0-9]{2,}$/.test(word);

/**
 * The catalog listing, ordered by MPN, searched by `q` (docs/catalog.md#search). Every word of
 * `q` must match, in any order, case-insensitively:
 * - a word of letters and digits (two or more) matches the beginning of a word of the name or of
 *   a part of the MPN (`product_search_terms`), or, with three or more, any fragment of the MPN
 *   ("9d5e" in "KAS-A9D5E1-7", by the trigram index `products_mpn_search`);
 * - any other word ("kas-", "100%", "e") matches anywhere in "name mpn" (trigram index
 *   `products_search_lower`), as does every word when none is of the first kind.
 * The candidates are the first page of the products whose every word-of-letters-and-digits is a
 * term, walked in MPN order (the term streams merge-joined on MPN; the work is the page size
 * over how often the words occur together, not the number of matches), plus the products with
 * one of those words in their MPN (few: the words people search for are rarely MPN fragments).
 * Returned unexecuted so that bench/ can EXPLAIN exactly what the API runs.
 */
export function listProductsQuery(db: Db, q: ProductQuery) {
  const words = q.q ? searchWords(q.q) : [];
  const terms = words.filter(isTermWord);
  const anywhere = words.filter((w) => !isTermWord(w));
  // The listing's filters on the products row `p`: the same in the walk, the fragment candidates
  // and the outer query.
  const filters = (p: string) => {
    const col = (c: string) => sql.ref(`${p}.${c}`);
    const and = [q.status ? sql`${col("status")} = ${q.status}` : sql`${col("status")} in (${sql.join(q.visible)})`];
    if (q.mpn) and.push(sql`${col("mpn")} = ${q.mpn}`);
    if (q.isvName) and.push(sql`${col("isv_name")} = ${q.isvName}`);
    if (q.afterMpn) and.push(sql`${col("mpn")} > ${q.afterMpn}`);
    // Same expression as the trigram index `products_search_lower`, so the planner can use it.
    for (const w of anywhere) and.push(sql`lower(${col("name")} || ' ' || ${col("mpn")}) like ${likePattern(w)}`);
    return sql<SqlBool>`(${sql.join(and, sql` and `)})`;
  };

  const query = db
    .selectFrom("products")
    .selectAll()
    .where(filters("products"))
    .orderBy("mpn")
    .limit(q.limit + 1);
  const [first, ...others] = terms;
  if (first === undefined) return query;

  // Products having every word as a term, the first page of them in MPN order: one index-only
  // stream of (term, mpn) per word, merge-joined on mpn, then one probe of the product row per
  // product in every stream for the filters. `offset 0` keeps that probe above the join (else the
  // planner pushes it down to the first stream, a probe per product having the first word), and
  // a scalar subquery keeps it a probe (a join to products may walk the whole MPN index instead).
  const walk = sql`select w.mpn from (
      select t0.mpn from product_search_terms t0
      ${sql.join(
        others.map((word, i) => {
          const t = sql.ref(`t${i + 1}`);
          return sql`join product_search_terms ${t} on ${t}.mpn = t0.mpn and ${t}.term = ${word}`;
        }),
        sql` `,
      )}
      where t0.term = ${first} ${q.afterMpn ? sql`and t0.mpn > ${q.afterMpn}` : sql``}
      order by t0.mpn offset 0
    ) w
    where (select true from products p where p.mpn = w.mpn and ${filters("p")}) is not null
    order by w.mpn limit ${q.limit + 1}`;
  // Products with a word in their MPN but not as the beginning of a part (3 characters or more:
  // a trigram to look up). Every word is checked as a term or, when it has 3 characters or more,
  // as an MPN fragment. The term check is a scalar subquery so that it stays one index probe per
  // candidate (an EXISTS under OR may be planned as a hash of the term's whole stream).
  const fragment = (word: string) => word.length >= 3;
  const matchesEvery = (p: string) =>
    sql.join(
      terms.map((word) => {
        const asTerm = sql`(select true from product_search_terms s where s.term = ${word} and s.mpn = ${sql.ref(`${p}.mpn`)}) is not null`;
        return fragment(word) ? sql`(lower(${sql.ref(`${p}.mpn`)}) like ${likePattern(word)} or ${asTerm})` : asTerm;
      }),
      sql` and `,
    );
  const inMpn = terms
    .filter(fragment)
    .map(
      (word) => sql`select f.mpn from products f where lower(f.mpn) like ${likePattern(word)} and ${filters("f")} and ${matchesEvery("f")}`,
    );
  const candidates = sql`select w.mpn from (${walk}) w${sql.join(
    inMpn.map((branch) => sql` union all ${branch}`),
    sql``,
  )}`;
  // An array, so that the few candidates drive the query (probes of the MPN index) rather than
  // a walk of the whole catalog in MPN order that looks each one up.
  return query.where(sql<SqlBool>`products.mpn = any(array(${candidates}))`);
}
