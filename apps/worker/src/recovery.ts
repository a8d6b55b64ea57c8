import type { Db } from "@canopy/db";
import { provisioning } from "@canopy/domain/commerce";
import { jobIds } from "@canopy/domain/messaging";
import type { Logger } from "pino";
import { enqueue, type Queues } from "./queues";

export interface RecoveryOptions {
  db: Db;
  queues: Queues;
  /** How often to look. */
  intervalMs: number;
  /** How long an open order may sit untouched before its job is checked. */
  afterMs: number;
  log: Logger;
}

/**
 * The outbox guarantees an event reaches Redis, not that Redis keeps it: a Redis that restarts
 * without persistence loses waiting jobs, and a job that failed for good on an unexpected error
 * leaves its order open. This sweep finds orders that have sat open for a while and gives their
 * job back: re-added under the same jobId when Redis no longer knows it (harmless when it
 * does), retried when it failed. Orders waiting for a backoff retry are left alone.
 */
export function startRecovery({ db, queues, intervalMs, afterMs, log }: RecoveryOptions) {
  const queue = queues["order-provisioning"];
  let running: Promise<void> | undefined;

  async function sweep() {
    for (const stale of await provisioning.staleOpenOrders(db, afterMs, 500)) {
      const jobId = jobIds.relayedEvent(stale.eventId);
      const state = await queue.getJobState(jobId);
      if (state === "unknown") {
        await enqueue(
          queues,
          "order-provisioning",
          "order.created",
          { eventId: stale.eventId, type: "order.created", accountId: stale.accountId, subjectId: stale.orderId },
          jobId,
        );
        log.warn({ orderId: stale.orderId, jobId }, "order job missing from Redis; enqueued again");
      } else if (state === "failed") {
        await (await queue.getJob(jobId))?.retry("failed", { resetAttemptsMade: true, resetAttemptsStarted: true });
        log.warn({ orderId: stale.orderId, jobId }, "order job had failed for good; retrying it");
      }
    }
  }

  const timer = setInterval(() => {
    running ??= sweep()
      .catch((error) => log.warn({ err: error }, "order recovery sweep failed; trying again at the next tick"))
      .finally(() => (running = undefined));
  }, intervalMs);
  timer.unref();

  return {
    async stop() {
      clearInterval(timer);
      await running;
    },
  };
}
