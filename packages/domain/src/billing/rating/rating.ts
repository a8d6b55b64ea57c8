import type { ChargeKind, Db, NewRatedLineRow } from "@canopy/db";
import { newId } from "@canopy/domain/shared";
import { lineAmount, monthOf } from "../periods/amounts";
import { openStatementFor } from "../statements/statement-slot";
import type { SubscriptionChain } from "./price-chain";

/** Something billed once: an order item's licence fee, change or renewal, or a usage record. */
export interface Charge {
  /** What makes it unique (`item:<orderItemId>`, `usage:<usageRecordId>`): rating it again writes nothing. */
  source: string;
  kind: ChargeKind;
  /** Units billed: the quantity, the difference of a change (negative when it went down), or the usage. */
  quantity: number;
  periodStart: Date;
  periodEnd: Date;
  /** The share of the period billed: days billed / days in the period (1/1 for usage). */
  daysBilled: number;
  daysInPeriod: number;
  occurredAt: Date;
  /** The calendar month whose statement it belongs to ("YYYY-MM"); later if that one is issued. */
  month?: string;
}

export interface RatedCharge {
  chargeId: string;
  /** False when the charge had been rated before (nothing written). */
  rated: boolean;
  lines: number;
}

/**
 * Rates a charge at every tier of the subscription's chain, in the caller's transaction: the
 * line of tier k says what its buyer pays its vendor (`price`) and what that vendor pays its own
 * vendor (`cost`, which is tier k+1's price for the same charge; null above the provider's direct
 * accounts). Each line goes on the buyer's statement with that vendor for the charge's month.
 */
export async function rateCharge(db: Db, chain: SubscriptionChain, charge: Charge): Promise<RatedCharge> {
  const chargeId = newId("chg");
  const inserted = await db
    .insertInto("charges")
    .values({
      id: chargeId,
      source: charge.source,
      subscription_id: chain.subscriptionId,
      kind: charge.kind,
      quantity: charge.quantity,
      period_start: charge.periodStart,
      period_end: charge.periodEnd,
      days_billed: charge.daysBilled,
      days_in_period: charge.daysInPeriod,
      occurred_at: charge.occurredAt,
    })
    .onConflict((oc) => oc.column("source").doNothing())
    .returning("id")
    .executeTakeFirst();
  if (!inserted) {
    const prior = await db.selectFrom("charges").select("id").where("source", "=", charge.source).executeTakeFirstOrThrow();
    return { chargeId: prior.id, rated: false, lines: 0 };
  }
  if (charge.quantity === 0 || chain.tiers.length === 0) return { chargeId, rated: true, lines: 0 };

  const amounts = chain.tiers.map((t) => lineAmount(t.unitPrice.amount, charge.quantity, charge.daysBilled, charge.daysInPeriod));
  const month = charge.month ?? monthOf(charge.occurredAt);
  const rows: NewRatedLineRow[] = [];
  for (const [i, tier] of chain.tiers.entries()) {
    const above = chain.tiers[i + 1];
    const slot = await openStatementFor(
      db,
      { buyerId: tier.buyerId, buyerPath: tier.buyerPath, vendorId: tier.vendorId, currency: tier.unitPrice.currency },
      month,
    );
    rows.push({
      id: newId("rln"),
      charge_id: chargeId,
      statement_id: slot.statementId,
      tier: tier.tier,
      kind: slot.late ? "adjustment" : charge.kind,
      subscription_id: chain.subscriptionId,
      customer_id: chain.customerId,
      buyer_id: tier.buyerId,
      buyer_path: tier.buyerPath,
      vendor_id: tier.vendorId,
      mpn: chain.mpn,
      quantity: charge.quantity,
      unit_price: tier.unitPrice.amount,
      price_amount: amounts[i]!,
      price_currency: tier.unitPrice.currency,
      unit_cost: above ? above.unitPrice.amount : null,
      cost_amount: above ? amounts[i + 1]! : null,
      cost_currency: above ? above.unitPrice.currency : null,
      note: slot.late ? `late ${charge.kind} of ${month}` : null,
      occurred_at: charge.occurredAt,
    });
  }
  await db.insertInto("rated_lines").values(rows).execute();
  return { chargeId, rated: true, lines: rows.length };
}
