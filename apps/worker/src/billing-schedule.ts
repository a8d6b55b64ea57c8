import { type BillingTask, jobIds } from "@canopy/domain/messaging";
import type { Logger } from "pino";
import type { Queues } from "./queues";

const tasks: BillingTask[] = ["renewals", "statements"];

/**
 * Puts billing's two job schedulers in place (upsert: every worker may do it at start, and a
 * changed interval replaces the old one). BullMQ produces a scheduler's next job only when the
 * previous one starts, so a slow tick never piles up others behind it.
 */
export async function scheduleBilling(queues: Queues, everyMs: number, log: Logger): Promise<void> {
  for (const task of tasks) {
    await queues["billing-clock"].upsertJobScheduler(jobIds.billingScheduler(task), { every: everyMs }, { name: task, data: { task } });
  }
  log.debug({ everyMs }, "billing schedulers in place");
}
