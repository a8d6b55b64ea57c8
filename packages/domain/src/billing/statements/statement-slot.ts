import type { Db } from "@canopy/db";
import { sql } from "@canopy/db";
import { newId } from "@canopy/domain/shared";
import { monthStartDay, nextMonth } from "../periods/amounts";

export interface Slot {
  statementId: string;
  month: string;
  /** The line lands on a later statement than its own month's (that one was already issued). */
  late: boolean;
}

/**
 * The open statement a line of `month` goes on, created when missing. The row is share-locked
 * until the caller's transaction ends, so the month cannot close under a line being written
 * (closing locks it for update); an issued statement is never written to: the line moves to
 * the next month that is still open, as an adjustment.
 */
export async function openStatementFor(
  db: Db,
  key: { buyerId: string; buyerPath: string; vendorId: string; currency: string },
  month: string,
): Promise<Slot> {
  for (let candidate = month, late = false; ; candidate = nextMonth(candidate), late = true) {
    const day = monthStartDay(candidate);
    await db
      .insertInto("statements")
      .values({
        id: newId("stm"),
        buyer_id: key.buyerId,
        buyer_path: key.buyerPath,
        vendor_id: key.vendorId,
        currency: key.currency,
        month: day,
      })
      .onConflict((oc) => oc.constraint("statements_one_per_month").doNothing())
      .execute();
    const row = await db
      .selectFrom("statements")
      .select(["id", "status"])
      .where("buyer_id", "=", key.buyerId)
      .where("vendor_id", "=", key.vendorId)
      .where("currency", "=", key.currency)
      .where("month", "=", day)
      .forShare()
      .executeTakeFirstOrThrow();
    if (row.status === "open") return { statementId: row.id, month: candidate, late };
  }
}

/** Serialises the rating of one subscription (its orders must be rated in completion order). */
export async function lockSubscriptionBilling(db: Db, subscriptionId: string): Promise<void> {
  await sql`select pg_advisory_xact_lock(hashtext(${`billing:${subscriptionId}`}))`.execute(db);
}
