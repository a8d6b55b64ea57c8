import type { Db } from "@canopy/db";
import { unitPrice } from "@canopy/domain/catalog";
import { notFound, pathIds } from "@canopy/domain/shared";

/** One tier of a subscription's chain: `buyer` pays `vendor` `unitPrice` per unit. */
export interface Tier {
  tier: number;
  buyerId: string;
  buyerPath: string;
  vendorId: string;
  unitPrice: { amount: number; currency: string };
}

export interface SubscriptionChain {
  subscriptionId: string;
  customerId: string;
  mpn: string;
  billingModel: "license" | "payg";
  billingPeriod: "month" | "year";
  unit: string;
  /** Tier 0 is the subscription's account and its vendor; the last tier's vendor is the provider. */
  tiers: Tier[];
}

/**
 * The price chain of a subscription as it stands now (docs/catalog.md): at every tier the buyer
 * pays what its vendor charges for the MPN, or the MSRP. Two queries whatever the depth.
 */
export async function loadSubscriptionChain(db: Db, subscriptionId: string): Promise<SubscriptionChain> {
  const sub = await db
    .selectFrom("subscriptions as s")
    .innerJoin("products as p", "p.id", "s.product_id")
    .select([
      "s.id",
      "s.account_id",
      "s.account_path",
      "s.mpn",
      "p.billing_model",
      "p.billing_period",
      "p.unit",
      "p.msrp_amount",
      "p.msrp_currency",
    ])
    .where("s.id", "=", subscriptionId)
    .executeTakeFirst();
  if (!sub) throw notFound("subscription");
  const ids = pathIds(sub.account_path);
  const [accounts, prices] = await Promise.all([
    db.selectFrom("accounts").select(["id", "path"]).where("id", "in", ids).execute(),
    db.selectFrom("prices").select(["vendor_id", "amount", "currency"]).where("mpn", "=", sub.mpn).where("vendor_id", "in", ids).execute(),
  ]);
  const pathOf = new Map(accounts.map((a) => [a.id, a.path]));
  if (pathOf.size !== ids.length)
    throw new Error(`subscription ${subscriptionId} has an account path (${sub.account_path}) that names missing accounts`);
  const priceOf = new Map(prices.map((p) => [p.vendor_id, { amount: p.amount, currency: p.currency }]));
  const tiers: Tier[] = [];
  // From the subscription's account up to the provider's direct accounts.
  for (let i = ids.length - 1, tier = 0; i >= 1; i--, tier++) {
    const buyerId = ids[i]!;
    const vendorId = ids[i - 1]!;
    tiers.push({ tier, buyerId, buyerPath: pathOf.get(buyerId)!, vendorId, unitPrice: unitPrice(sub, priceOf.get(vendorId) ?? null) });
  }
  return {
    subscriptionId: sub.id,
    customerId: sub.account_id,
    mpn: sub.mpn,
    billingModel: sub.billing_model,
    billingPeriod: sub.billing_period,
    unit: sub.unit,
    tiers,
  };
}
