import type { Db } from "@canopy/db";
import { type DeliveryJob, DeliveryLog, jobIds, takeDueDeliveries, WebhookSender, type WebhookSettings, webhookSettings } from "@canopy/domain/messaging";
import type { Redis } from "ioredis";
import type { Logger } from "pino";
import { EndpointSlots } from "./endpoint-slots";
import type { Queues } from "./queues";

export interface WebhookWorkerOptions {
  settings: WebhookSettings;
  /** Delivery jobs in flight in this process: high, as they mostly wait on receivers. */
  deliveryConcurrency: number;
  /** Requests in flight to one endpoint, across all workers. */
  endpointConcurrency: number;
  /** How long a job for a saturated endpoint waits before it tries again (jittered). */
  slotWaitMs: number;
  /** How often due deliveries with no job (hand-made retries, recover, lost jobs) are enqueued. */
  sweepIntervalMs: number;
}

export type WebhookRuntime = ReturnType<typeof setUpWebhooks>;

/** The webhook side of the worker: sender, fairness slots, enqueueing and the sweep. */
export function setUpWebhooks({
  db,
  queues,
  redis,
  prefix,
  log,
  options = {},
}: {
  db: Db;
  queues: Queues;
  redis: Redis;
  prefix: string;
  log: Logger;
  options?: Partial<WebhookWorkerOptions>;
}) {
  const settings = options.settings ?? webhookSettings();
  const deliveryConcurrency = options.deliveryConcurrency ?? 64;
  const endpointConcurrency = options.endpointConcurrency ?? 4;
  const deliveryQueue = queues["webhook-delivery"];
  const sender = new WebhookSender({ allowPrivateUrls: settings.allowPrivateUrls, timeoutMs: settings.timeoutMs, connectionsPerOrigin: endpointConcurrency });
  // Concurrent deliveries of this process share their claim and success statements.
  const deliveryLog = new DeliveryLog(db, settings);
  const slots = new EndpointSlots(redis, {
    prefix,
    limit: endpointConcurrency,
    leaseMs: settings.timeoutMs + 60_000,
    onReleaseError: (error) => log.warn({ err: error }, "releasing a webhook endpoint slot failed; its lease frees it later"),
  });

  /** Adds delivery jobs; the job id per attempt makes a duplicate of a waiting one a no-op. */
  async function enqueue(jobs: DeliveryJob[], at?: Date): Promise<void> {
    if (jobs.length === 0) return;
    const delay = at ? Math.max(0, at.getTime() - Date.now()) : 0;
    await deliveryQueue.addBulk(
      jobs.map((job) => ({
        name: "delivery",
        data: job,
        // Postgres keeps the delivery log; finished jobs leave Redis at once, so that the same
        // attempt can be enqueued again later (recover, a hand-made retry).
        opts: { jobId: jobIds.webhookDelivery(job.deliveryId, job.attempt), delay, removeOnComplete: true, removeOnFail: true },
      })),
    );
  }

  let timer: NodeJS.Timeout | undefined;
  let sweeping: Promise<void> | undefined;
  let stopped = false;
  async function sweep() {
    try {
      for (;;) {
        const due = await takeDueDeliveries(db, 1000);
        await enqueue(due);
        if (due.length < 1000 || stopped) break;
      }
    } catch (error) {
      log.warn({ err: error }, "webhook sweep failed; trying again at the next tick");
    }
  }
  function schedule() {
    if (stopped) return;
    timer = setTimeout(() => {
      sweeping = sweep().finally(schedule);
    }, options.sweepIntervalMs ?? 5_000);
  }

  return {
    settings,
    sender,
    deliveryLog,
    slots,
    slotWaitMs: options.slotWaitMs ?? 1_000,
    enqueue,
    /** Per-queue worker concurrency, where it differs from the worker's default. */
    concurrencyOf(queue: string): number | undefined {
      return queue === "webhook-delivery" ? deliveryConcurrency : undefined;
    },
    start() {
      schedule();
    },
    async stopSweep() {
      stopped = true;
      clearTimeout(timer);
      await sweeping;
    },
    async close() {
      await this.stopSweep();
      await sender.close();
    },
  };
}
