import type { Db, PriceRow } from "@canopy/db";
import { sql } from "@canopy/db";
import { iso } from "@canopy/domain/shared";
import type { Price } from "./prices.schema";

export function toPrice(row: PriceRow): Price {
  return {
    vendorId: row.vendor_id,
    mpn: row.mpn,
    price: { amount: row.amount, currency: row.currency },
    createdAt: iso(row.created_at),
    updatedAt: iso(row.updated_at),
  };
}

/** The price after the upsert, and whether it was new (`xmax = 0`: the row was inserted, not updated). */
export async function upsertPrice(db: Db, row: { vendor_id: string; mpn: string; amount: number; currency: string }) {
  return db
    .insertInto("prices")
    .values(row)
    .onConflict((oc) =>
      oc.columns(["vendor_id", "mpn"]).doUpdateSet({ amount: row.amount, currency: row.currency, updated_at: sql<Date>`now()` }),
    )
    .returningAll()
    .returning(sql<boolean>`(xmax = 0)`.as("inserted"))
    .executeTakeFirstOrThrow();
}

export async function deletePrice(db: Db, vendorId: string, mpn: string) {
  return db.deleteFrom("prices").where("vendor_id", "=", vendorId).where("mpn", "=", mpn).returningAll().executeTakeFirst();
}

/** A vendor's prices by MPN, each with what the vendor pays its own vendor (or the MSRP). */
export async function listPrices(
  db: Db,
  q: { vendorId: string; vendorsVendorId: string | null; mpn?: string; afterMpn?: string; limit: number },
) {
  let query = db
    .selectFrom("prices as p")
    .innerJoin("products as prd", "prd.mpn", "p.mpn")
    .leftJoin("prices as up", (join) =>
      join.onRef("up.mpn", "=", "p.mpn").on("up.vendor_id", "=", q.vendorsVendorId ?? "__provider_has_no_vendor__"),
    )
    .selectAll("p")
    .select(["up.amount as up_amount", "up.currency as up_currency", "prd.msrp_amount", "prd.msrp_currency"])
    .where("p.vendor_id", "=", q.vendorId)
    .orderBy("p.mpn")
    .limit(q.limit + 1);
  if (q.mpn) query = query.where("p.mpn", "=", q.mpn);
  if (q.afterMpn) query = query.where("p.mpn", ">", q.afterMpn);
  return query.execute();
}
