import type { Db } from "@canopy/db";
import { sql } from "@canopy/db";
import { insertEvent, systemOrigin } from "@canopy/domain/shared";
import { monthOf, monthStartDay } from "../periods/amounts";
import { lineTotals, toStatement } from "./statements.repository";

export interface CloseResult {
  /** Statements issued by this run. */
  issued: number;
  /** The months before this one still had open statements: the ones closed now, oldest first. */
  months: string[];
}

/**
 * Issues every open statement of a month before `now`'s (UTC): totals fixed, `statement.issued`
 * written with it for the vendor's chain, never changed again. Each statement closes in its own
 * transaction, locked for update first, so a line being rated onto it either commits before
 * the totals are summed or waits and goes to the next month. Running it again, or twice at
 * once, issues nothing twice: a catch-up after days of downtime is the same call.
 */
export async function closeMonths(db: Db, now: Date, opts: { batch?: number } = {}): Promise<CloseResult> {
  const before = monthStartDay(monthOf(now));
  const due = await db
    .selectFrom("statements")
    .select(["id", "month"])
    .where("status", "=", "open")
    .where("month", "<", before)
    .orderBy("month")
    .orderBy("id")
    .limit(opts.batch ?? 100_000)
    .execute();
  let issued = 0;
  for (const { id } of due) if (await closeStatement(db, id, now)) issued++;
  return { issued, months: [...new Set(due.map((d) => d.month.slice(0, 7)))] };
}

/** Issues one statement; false when it was already issued. */
export async function closeStatement(db: Db, id: string, now: Date): Promise<boolean> {
  return db.transaction().execute(async (trx) => {
    const locked = await trx.selectFrom("statements").select(["id", "status"]).where("id", "=", id).forUpdate().executeTakeFirst();
    if (locked?.status !== "open") return false;
    // A statement of its own, after the lock: it sees every line committed before the lock was granted.
    const totals = (await lineTotals(trx, [id])).get(id);
    const row = await trx
      .updateTable("statements")
      .set({ status: "issued", total_amount: totals?.total ?? 0, line_count: totals?.lines ?? 0, issued_at: now })
      .where("id", "=", id)
      .where("status", "=", "open")
      .returningAll()
      .executeTakeFirstOrThrow();
    const vendor = await trx.selectFrom("accounts").select(["id", "path"]).where("id", "=", row.vendor_id).executeTakeFirstOrThrow();
    await insertEvent(trx, {
      type: "statement.issued",
      origin: systemOrigin("billing"),
      account: { id: vendor.id, path: vendor.path },
      data: toStatement(row, totals),
    });
    return true;
  });
}

/** Open statements of months before `now` (what a close would issue): for health checks and tests. */
export async function overdueStatements(db: Db, now: Date): Promise<number> {
  const row = await db
    .selectFrom("statements")
    .select(sql<number>`count(*)`.as("n"))
    .where("status", "=", "open")
    .where("month", "<", monthStartDay(monthOf(now)))
    .executeTakeFirstOrThrow();
  return Number(row.n);
}
