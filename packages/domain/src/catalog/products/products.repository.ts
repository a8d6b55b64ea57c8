import type { Db, NewProductRow, ProductRow, ProductStatus, ProductsTable, Updateable } from "@canopy/db";
import { sql } from "@canopy/db";
import { iso, searchPatterns } from "@canopy/domain/shared";
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

/**
 * The catalog listing, ordered by MPN. `q` matches when "name mpn" contains each of its words,
 * case-insensitively (a name, part of one, or an MPN fragment), through the trigram GIN index
 * `products_search_lower`.
 * Returned unexecuted so that bench/ can EXPLAIN exactly what the API runs.
 */
export function listProductsQuery(db: Db, q: ProductQuery) {
  let query = db
    .selectFrom("products")
    .selectAll()
    .orderBy("mpn")
    .limit(q.limit + 1);
  query = q.status ? query.where("status", "=", q.status) : query.where("status", "in", q.visible);
  if (q.mpn) query = query.where("mpn", "=", q.mpn);
  // Same expression as the trigram index `products_search_lower`, so the planner can use it.
  for (const pattern of q.q ? searchPatterns(q.q) : []) query = query.where(sql`lower(name || ' ' || mpn)`, "like", pattern);
  if (q.isvName) query = query.where("isv_name", "=", q.isvName);
  if (q.afterMpn) query = query.where("mpn", ">", q.afterMpn);
  return query;
}
