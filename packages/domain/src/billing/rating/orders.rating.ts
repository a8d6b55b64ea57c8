import type { Db } from "@canopy/db";
import { sql } from "@canopy/db";
import { addTerm, prorationDays } from "../periods/amounts";
import { lockSubscriptionBilling } from "../statements/statement-slot";
import { loadSubscriptionChain, type SubscriptionChain } from "./price-chain";
import { rateCharge } from "./rating";

interface UnratedItem {
  itemId: string;
  orderId: string;
  type: "sales" | "change" | "renewal";
  quantity: number;
  idempotencyKey: string | null;
  completedAt: Date;
}

interface Term {
  quantity: number;
  start: Date;
  end: Date;
}

/**
 * Rates what a completed order billed (docs/billing.md): the first term's licence fee of each
 * subscription a sales order created, the difference a change order made (prorated by day for
 * the rest of the term) and a renewal's new term. Cancellations bill nothing. Each subscription
 * is rated in its own transaction, serialised with any other rating of it, and every completed
 * order of that subscription not rated yet is rated in completion order, so out-of-order or
 * repeated jobs give the same lines. Returns how many charges were written.
 */
export async function rateCompletedOrder(db: Db, orderId: string): Promise<number> {
  const subscriptionIds = await db
    .selectFrom("order_items as i")
    .innerJoin("orders as o", "o.id", "i.order_id")
    .select("i.subscription_id")
    .distinct()
    .where("i.order_id", "=", orderId)
    .where("o.status", "=", "completed")
    .where("i.subscription_id", "is not", null)
    .execute();
  let charges = 0;
  for (const { subscription_id } of subscriptionIds) {
    charges += await db.transaction().execute((trx) => rateSubscriptionOrders(trx, subscription_id!));
  }
  return charges;
}

/** Every completed, unrated order item of the subscription, rated in completion order (one transaction). */
export async function rateSubscriptionOrders(db: Db, subscriptionId: string): Promise<number> {
  await lockSubscriptionBilling(db, subscriptionId);
  const items = await unratedItems(db, subscriptionId);
  if (items.length === 0) return 0;
  const chain = await loadSubscriptionChain(db, subscriptionId);
  let term = await currentTerm(db, subscriptionId);
  for (const item of items) term = await rateItem(db, chain, item, term);
  if (term) {
    await db
      .insertInto("billing_terms")
      .values({ subscription_id: subscriptionId, quantity: term.quantity, period_start: term.start, period_end: term.end })
      .onConflict((oc) =>
        oc.column("subscription_id").doUpdateSet({ quantity: term!.quantity, period_start: term!.start, period_end: term!.end }),
      )
      .execute();
  }
  return items.length;
}

async function unratedItems(db: Db, subscriptionId: string): Promise<UnratedItem[]> {
  const rows = await db
    .selectFrom("order_items as i")
    .innerJoin("orders as o", "o.id", "i.order_id")
    .select(["i.id", "o.id as order_id", "o.type", "i.quantity", "o.idempotency_key", "o.updated_at"])
    .where("i.subscription_id", "=", subscriptionId)
    .where("o.status", "=", "completed")
    .where("o.type", "in", ["sales", "change", "renewal"])
    .where(({ not, exists, selectFrom }) =>
      not(exists(selectFrom("charges as c").select("c.id").where("c.source", "=", sql<string>`'item:' || i.id`))),
    )
    .orderBy("o.updated_at")
    .orderBy("o.id")
    .execute();
  return rows.map((r) => ({
    itemId: r.id,
    orderId: r.order_id,
    type: r.type as UnratedItem["type"],
    quantity: r.quantity,
    idempotencyKey: r.idempotency_key,
    completedAt: r.updated_at,
  }));
}

async function currentTerm(db: Db, subscriptionId: string): Promise<Term | undefined> {
  const row = await db.selectFrom("billing_terms").selectAll().where("subscription_id", "=", subscriptionId).executeTakeFirst();
  return row && { quantity: row.quantity, start: row.period_start, end: row.period_end };
}

/** The term the subscription is in by its own dates, for one billed before billing existed. */
async function termFromSubscription(db: Db, chain: SubscriptionChain, quantity: number): Promise<Term> {
  const sub = await db
    .selectFrom("subscriptions")
    .select(["started_at", "renews_at", "created_at"])
    .where("id", "=", chain.subscriptionId)
    .executeTakeFirstOrThrow();
  const start = sub.started_at ?? sub.created_at;
  const end = sub.renews_at ?? addTerm(start, chain.billingPeriod);
  let termStart = start;
  while (addTerm(termStart, chain.billingPeriod) < end) termStart = addTerm(termStart, chain.billingPeriod);
  return { quantity, start: termStart, end };
}

/** The start of the term a renewal order was placed for, as its key says (`renew:<subscription>:<periodStart>`). */
function renewedPeriodStart(key: string | null): Date | undefined {
  const match = key ? /^renew:[^:]+:(.+)$/.exec(key) : null;
  const at = match ? new Date(match[1]!) : undefined;
  return at && !Number.isNaN(at.getTime()) ? at : undefined;
}

async function rateItem(db: Db, chain: SubscriptionChain, item: UnratedItem, term: Term | undefined): Promise<Term> {
  const source = `item:${item.itemId}`;
  const licensed = chain.billingModel === "license";
  const full = (start: Date, end: Date) => {
    const { daysInPeriod } = prorationDays(start, end, start);
    return { periodStart: start, periodEnd: end, daysBilled: daysInPeriod, daysInPeriod, occurredAt: item.completedAt };
  };

  if (item.type === "sales") {
    const next = await termFromSubscription(db, chain, item.quantity);
    await rateCharge(db, chain, { source, kind: "license", quantity: licensed ? item.quantity : 0, ...full(next.start, next.end) });
    return next;
  }
  if (item.type === "renewal") {
    const start = term?.end ?? renewedPeriodStart(item.idempotencyKey) ?? (await termFromSubscription(db, chain, item.quantity)).end;
    const next = { quantity: item.quantity, start, end: addTerm(start, chain.billingPeriod) };
    await rateCharge(db, chain, { source, kind: "renewal", quantity: licensed ? item.quantity : 0, ...full(next.start, next.end) });
    return next;
  }
  // change: the difference, for the days left in the current term (the change's day included)
  const current = term ?? (await termFromSubscription(db, chain, await quantityBefore(db, chain.subscriptionId, item)));
  const days = prorationDays(current.start, current.end, item.completedAt);
  await rateCharge(db, chain, {
    source,
    kind: "change",
    quantity: licensed ? item.quantity - current.quantity : 0,
    periodStart: current.start,
    periodEnd: current.end,
    ...days,
    occurredAt: item.completedAt,
  });
  return { ...current, quantity: item.quantity };
}

/** The quantity before a change, from the order completed before it (only when no term was recorded). */
async function quantityBefore(db: Db, subscriptionId: string, item: UnratedItem): Promise<number> {
  const prior = await db
    .selectFrom("order_items as i")
    .innerJoin("orders as o", "o.id", "i.order_id")
    .select("i.quantity")
    .where("i.subscription_id", "=", subscriptionId)
    .where("o.status", "=", "completed")
    .where("o.type", "in", ["sales", "change", "renewal"])
    .where("o.id", "<>", item.orderId)
    .where("o.updated_at", "<=", item.completedAt)
    .orderBy("o.updated_at", "desc")
    .limit(1)
    .executeTakeFirst();
  return prior?.quantity ?? item.quantity;
}
