import { closeMonths, renewDue } from "@canopy/domain/billing";
import type { Processor } from "../queues";
import type { ProcessorDeps } from "./deps";

/**
 * A tick of billing's clock. Each scans by date (`renews_at <= now`, open statements of months
 * before now's), so a tick missed while no worker ran is caught up by the next, and each placed
 * order or issued statement is keyed, so no tick does anything twice.
 */
export function billingClockProcessor({ db, log, now }: ProcessorDeps): Processor<"billing-clock"> {
  return async ({ task }) => {
    if (task === "renewals") {
      const run = await renewDue(db, now());
      if (run.renewed || run.ended) log.info({ renewed: run.renewed, ended: run.ended }, "renewals placed");
      if (run.skipped.length)
        log.warn({ skipped: run.skipped.slice(0, 20), count: run.skipped.length }, "renewals skipped until the next tick");
      return { renewed: run.renewed, ended: run.ended, skipped: run.skipped.length };
    }
    const closed = await closeMonths(db, now());
    if (closed.issued) log.info(closed, "statements issued");
    return closed;
  };
}
