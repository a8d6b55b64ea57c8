import type { Db, ProductRow } from "@canopy/db";
import type { Money } from "@canopy/domain/shared";

/**
 * The price chain (docs/catalog.md): an account pays what its vendor charges for the MPN, or the MSRP
 * where the vendor set no price. Each tier's price is independent: a reseller's margin is what
 * it charges below minus what its own vendor charges it.
 */
export function unitPrice(product: Pick<ProductRow, "msrp_amount" | "msrp_currency">, vendorPrice: Money | null): Money {
  return vendorPrice ?? { amount: product.msrp_amount, currency: product.msrp_currency };
}

export interface ProductWithPrice {
  product: ProductRow;
  /** The account's unit price: its vendor's price, else the MSRP. */
  unitPrice: Money;
}

/** The products named by `mpns` with what `vendorId` charges for each: one query for any number. */
export async function loadProductsWithPrices(db: Db, vendorId: string, mpns: string[]): Promise<Map<string, ProductWithPrice>> {
  if (mpns.length === 0) return new Map();
  const rows = await db
    .selectFrom("products as p")
    .leftJoin("prices as pr", (join) => join.onRef("pr.mpn", "=", "p.mpn").on("pr.vendor_id", "=", vendorId))
    .selectAll("p")
    .select(["pr.amount as price_amount", "pr.currency as price_currency"])
    .where("p.mpn", "in", [...new Set(mpns)])
    .execute();
  return new Map(
    rows.map(({ price_amount, price_currency, ...product }) => [
      product.mpn,
      {
        product,
        unitPrice: unitPrice(
          product,
          price_amount !== null && price_currency !== null ? { amount: price_amount, currency: price_currency } : null,
        ),
      },
    ]),
  );
}
