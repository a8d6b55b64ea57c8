import type { Db, UsageRecordRow } from "@canopy/db";
import type { Actor } from "@canopy/domain/identity";
import { badRequest, conflict, forbidden, iso, newId, notFound, preconditionFailed } from "@canopy/domain/shared";
import { monthOf, monthStart, nextMonth } from "../periods/amounts";
import { loadSubscriptionChain } from "../rating/price-chain";
import { rateCharge } from "../rating/rating";
import type { UsageRecord, UsageReportInput } from "../schema/billing.schema";

function toUsageRecord(row: UsageRecordRow, duplicate: boolean): UsageRecord {
  return {
    id: row.id,
    subscriptionId: row.subscription_id,
    unit: row.unit,
    quantity: row.quantity,
    periodStart: iso(row.period_start),
    periodEnd: iso(row.period_end),
    idempotencyKey: row.idempotency_key,
    reportedAt: iso(row.reported_at),
    duplicate,
  };
}

/** Who may report usage: the provider's administrators and keys, and ISV keys. */
export function assertMayReportUsage(actor: Actor): void {
  const provider = actor.accountType === "provider" && actor.role === "admin";
  if (!provider && !actor.isv) throw forbidden("usage is reported by the provider or with an ISV key");
  if (actor.isv && !actor.isvName) throw forbidden("this ISV key names no ISV: the provider issues a new one with isvName");
}

/**
 * Records usage of a pay-as-you-go subscription and rates it at every tier, in the caller's
 * transaction. Refused for licence products, terminated (or not yet provisioned) subscriptions,
 * periods that have not ended by `now`, and periods spanning two calendar months. Idempotent per
 * (subscription, idempotencyKey): the same report again answers the first record (`duplicate`),
 * a different one under a used key is a CONFLICT. A period whose month is already issued is
 * billed on the next open statement as an adjustment.
 */
export async function reportUsage(db: Db, actor: Actor, input: UsageReportInput, now: Date = new Date()): Promise<UsageRecord> {
  assertMayReportUsage(actor);
  const start = new Date(input.periodStart);
  const end = new Date(input.periodEnd);
  const sub = await db
    .selectFrom("subscriptions as s")
    .innerJoin("products as p", "p.id", "s.product_id")
    .select(["s.id", "s.status", "p.billing_model", "p.unit", "p.mpn", "p.isv_name"])
    .where("s.id", "=", input.subscriptionId)
    .executeTakeFirst();
  // An ISV's key reaches its own products' subscriptions only; the others do not exist for it.
  if (!sub || (actor.isv && sub.isv_name !== actor.isvName)) throw notFound("subscription");

  const prior = await findUsage(db, input.subscriptionId, input.idempotencyKey);
  if (prior) return replay(prior, input);

  if (sub.billing_model !== "payg") throw preconditionFailed(`${sub.mpn} is billed per licence, not by usage`);
  if (sub.status === "terminated") throw preconditionFailed("the subscription is terminated");
  if (sub.status === "pending") throw preconditionFailed("the subscription is not provisioned yet");
  if (input.unit !== sub.unit) throw badRequest(`${sub.mpn} is measured in ${sub.unit}, not ${input.unit}`);
  if (end > now) throw badRequest("the period has not ended yet: usage is reported for past periods only");
  if (end > monthStart(nextMonth(monthOf(start))))
    throw badRequest("a usage period must lie within one calendar month (UTC); report each month separately");

  const row = await db
    .insertInto("usage_records")
    .values({
      id: newId("usg"),
      subscription_id: sub.id,
      unit: input.unit,
      quantity: input.quantity,
      period_start: start,
      period_end: end,
      idempotency_key: input.idempotencyKey,
      reported_by: actor.id,
      reported_at: now,
    })
    .onConflict((oc) => oc.constraint("usage_records_key").doNothing())
    .returningAll()
    .executeTakeFirst();
  // A concurrent report with the same key committed first: answer as a retry would.
  if (!row) return replay((await findUsage(db, input.subscriptionId, input.idempotencyKey))!, input);

  const chain = await loadSubscriptionChain(db, sub.id);
  await rateCharge(db, chain, {
    source: `usage:${row.id}`,
    kind: "usage",
    quantity: input.quantity,
    periodStart: start,
    periodEnd: end,
    daysBilled: 1,
    daysInPeriod: 1,
    occurredAt: start,
    month: monthOf(start),
  });
  return toUsageRecord(row, false);
}

function findUsage(db: Db, subscriptionId: string, key: string) {
  return db
    .selectFrom("usage_records")
    .selectAll()
    .where("subscription_id", "=", subscriptionId)
    .where("idempotency_key", "=", key)
    .executeTakeFirst();
}

function replay(prior: UsageRecordRow, input: UsageReportInput): UsageRecord {
  const same =
    prior.unit === input.unit &&
    prior.quantity === input.quantity &&
    prior.period_start.getTime() === new Date(input.periodStart).getTime() &&
    prior.period_end.getTime() === new Date(input.periodEnd).getTime();
  if (!same) throw conflict(`idempotencyKey "${input.idempotencyKey}" was already used for a different usage report`);
  return toUsageRecord(prior, true);
}
