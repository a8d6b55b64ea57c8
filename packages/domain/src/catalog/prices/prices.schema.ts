import { listInput, money, moneyInput, pageOutput, timestamp } from "@canopy/domain/shared";
import { z } from "zod";
import { mpn } from "../products/products.schema";

export const pricesSetInput = z.strictObject({ mpn, price: moneyInput });
export const pricesRemoveInput = z.strictObject({ mpn });
export const pricesListInput = listInput.extend({
  /** Whose prices: defaults to the caller's account; any vendor in the caller's subtree. */
  vendorId: z.string().min(1).max(100).optional(),
  mpn: mpn.optional(),
});

export type PricesSetInput = z.infer<typeof pricesSetInput>;
export type PricesRemoveInput = z.infer<typeof pricesRemoveInput>;
export type PricesListInput = z.infer<typeof pricesListInput>;

/** What `vendorId` charges the accounts directly below it for `mpn`. */
export const price = z
  .object({ vendorId: z.string(), mpn: z.string(), price: money, createdAt: timestamp, updatedAt: timestamp })
  .meta({ id: "Price" });
export const priceListItem = price
  .extend({
    /**
     * What the vendor itself pays for the MPN (its own vendor's price, else the MSRP), so that a
     * reseller sees its margin; null for the provider, which buys from no one.
     */
    cost: money.nullable(),
  })
  .meta({ id: "PriceListItem" });
export const pricesPage = pageOutput(priceListItem);
export type Price = z.infer<typeof price>;
export type PriceListItem = z.infer<typeof priceListItem>;
