import type { Db } from "@canopy/db";
import type { Actor } from "@canopy/domain/identity";
import { eventOrigin, loadAccountInReach, permissions } from "@canopy/domain/identity";
import { decodeCursor, type EventType, insertEvent, iso, notFound, type Page, pageOf } from "@canopy/domain/shared";
import { findProduct } from "../products/products.repository";
import { deletePrice, listPrices as queryPrices, toPrice, upsertPrice } from "./prices.repository";
import type { Price, PriceListItem, PricesListInput, PricesRemoveInput, PricesSetInput } from "./prices.schema";
import { unitPrice } from "./pricing";

/** A price concerns its vendor: the vendor and the accounts above it see its changes. */
async function priceEvent(db: Db, actor: Actor, type: EventType, price: Price) {
  await insertEvent(db, { type, origin: eventOrigin(actor), account: { id: actor.accountId, path: actor.accountPath }, data: price });
}

/**
 * Sets the caller's price for the accounts directly below it. Any catalog product may be priced,
 * drafts included, so a vendor can prepare prices before a launch. A price may be in another
 * currency than the MSRP; an order mixing currencies is refused at placement.
 */
export async function setPrice(db: Db, actor: Actor, input: PricesSetInput): Promise<Price> {
  permissions.setPrices(actor);
  if (!(await findProduct(db, { mpn: input.mpn }))) throw notFound("product");
  const row = await upsertPrice(db, {
    vendor_id: actor.accountId,
    mpn: input.mpn,
    amount: input.price.amount,
    currency: input.price.currency,
  });
  const price = toPrice(row);
  await priceEvent(db, actor, row.inserted ? "price.created" : "price.updated", price);
  return price;
}

/** Removes the caller's price: the accounts below it pay the MSRP again. */
export async function removePrice(db: Db, actor: Actor, input: PricesRemoveInput): Promise<Price> {
  permissions.setPrices(actor);
  const row = await deletePrice(db, actor.accountId, input.mpn);
  if (!row) throw notFound("price");
  const price = toPrice(row);
  await priceEvent(db, actor, "price.removed", price);
  return price;
}

export async function listPrices(db: Db, actor: Actor, input: PricesListInput): Promise<Page<PriceListItem>> {
  const vendor = await loadAccountInReach(db, actor, input.vendorId ?? actor.accountId);
  const rows = await queryPrices(db, {
    vendorId: vendor.id,
    vendorsVendorId: vendor.vendor_id,
    mpn: input.mpn,
    afterMpn: decodeCursor(input.cursor),
    limit: input.limit,
  });
  return pageOf(
    rows,
    input.limit,
    (r) => r.mpn,
    (r) => ({
      vendorId: r.vendor_id,
      mpn: r.mpn,
      price: { amount: r.amount, currency: r.currency },
      cost:
        vendor.vendor_id === null
          ? null
          : unitPrice(r, r.up_amount !== null && r.up_currency !== null ? { amount: r.up_amount, currency: r.up_currency } : null),
      createdAt: iso(r.created_at),
      updatedAt: iso(r.updated_at),
    }),
  );
}
