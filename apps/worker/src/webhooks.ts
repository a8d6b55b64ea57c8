import type { Db } from "@canopy/db";
import type { Publisher } from "@canopy/domain/commerce";
import {
  type AttemptOutcome,
  attemptDelivery,
  attemptLeaseMs,
  type ClaimedDelivery,
  type DeliveryJob,
  DeliveryLog,
  endpointsTaking,
  fanOutWithCommit,
  jobIds,
  recipientsOf,
  sendFirstAttempts,
  takeDueDeliveries,
  WebhookSender,
  type WebhookSettings,
  webhookSettings,
} from "@canopy/domain/messaging";
import type { Redis } from "ioredis";
import type { Logger } from "pino";
import { EndpointSlots } from "./endpoint-slots";
import { FirstAttempts, type Reservation } from "./first-attempts";
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
  /**
   * First attempts made in this process right after the relay commits (see FirstAttempts); the
   * sweep leaves their rows alone this long, then re-sends what a crash dropped. 0: every
   * first attempt goes through the queue.
   */
  firstAttemptsTrustMs?: number;
  /** Told the outcome of each first attempt made in process (the queue's attempts are counted as jobs). */
  onFirstAttempt?: (outcome: AttemptOutcome["kind"]) => void;
}

/** What one attempt came to, for the queue's processor and the in-process first attempts. */
export type AttemptAnswer = { sent: false; busyForMs: number } | { sent: true; outcome: AttemptOutcome };

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
  const sender = new WebhookSender({
    allowPrivateUrls: settings.allowPrivateUrls,
    timeoutMs: settings.timeoutMs,
    connectionsPerOrigin: endpointConcurrency,
  });
  // Concurrent deliveries of this process share their claim and success statements.
  const deliveryLog = new DeliveryLog(db, settings);
  const slots = new EndpointSlots(redis, {
    prefix,
    limit: endpointConcurrency,
    leaseMs: attemptLeaseMs(settings),
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

  /**
   * One attempt of one delivery under the endpoint's fairness slot. The slot is held for the
   * request only: it is given back as soon as the answer is in, before the outcome is written.
   * A retry is enqueued as a delayed job once the failure is recorded (should that add fail,
   * the sweep enqueues it when it is due: the row says when).
   */
  async function attempt(job: DeliveryJob, holder: string): Promise<AttemptAnswer> {
    const slot = await slots.acquire(job.endpointId, holder);
    if (!slot.granted) return { sent: false, busyForMs: slot.busyForMs };
    let released = false;
    const release = () => {
      if (released) return;
      released = true;
      // Not awaited: the outcome does not depend on it (see EndpointSlots.release).
      void slots.release(job.endpointId, holder);
    };
    let outcome: AttemptOutcome;
    try {
      outcome = await attemptDelivery(db, settings, sender, job, { log: deliveryLog, sent: release });
    } finally {
      release();
    }
    return { sent: true, outcome: await settle(outcome) };
  }

  /** After an attempt: a retry is enqueued as a delayed job, a failure for good is logged. */
  async function settle(outcome: AttemptOutcome): Promise<AttemptOutcome> {
    if (outcome.kind === "retry") await enqueue([outcome.retry], outcome.at);
    if (outcome.kind === "failed")
      log.warn({ deliveryId: outcome.delivery.id, reason: outcome.delivery.last_error }, "webhook delivery failed for good");
    return outcome;
  }

  /** How long a job for a busy endpoint waits: about as long as its oldest request has taken, jittered. */
  const postponeMs = (busyForMs: number) =>
    Math.round(Math.min(options.slotWaitMs ?? 1_000, Math.max(50, busyForMs)) * (0.5 + Math.random()));

  const firstAttemptsTrustMs = options.firstAttemptsTrustMs ?? 30_000;
  const firstAttempts =
    firstAttemptsTrustMs > 0
      ? new FirstAttempts<ClaimedDelivery | undefined>(
          {
            acquire: (endpointId, holder) => slots.acquire(endpointId, holder),
            renew: (endpointId, holder) => void slots.renew(endpointId, holder),
            release: (endpointId, holder) => void slots.release(endpointId, holder),
            claim: (job) => deliveryLog.claim(job.deliveryId, job.attempt),
            attempt(job, claimed) {
              let sent!: () => void;
              const requestOver = new Promise<void>((resolve) => {
                sent = resolve;
              });
              const done = attemptDelivery(db, settings, sender, job, { log: deliveryLog, sent, claimed })
                .then(settle)
                .then((outcome) => options.onFirstAttempt?.(outcome.kind));
              // A claim that was lost or a failure before the request: nothing was sent.
              return { sent: Promise.race([requestOver, done.then(() => {})]), done: done.then(() => {}) };
            },
            handOver: (jobs, delayMs) => enqueue(jobs, delayMs ? new Date(Date.now() + delayMs) : undefined),
            postponeMs,
            onError: (error) => log.warn({ err: error }, "in-process webhook attempt failed; handed to the queue"),
          },
          {
            concurrency: deliveryConcurrency,
            perEndpoint: endpointConcurrency,
            maxQueuedPerEndpoint: Math.max(1_000, endpointConcurrency * 250),
            maxQueued: Math.max(10_000, deliveryConcurrency * 150),
          },
        )
      : undefined;

  /**
   * The first attempts of what the relay just wrote: made here when they fit, the rest enqueued.
   * Returns what was enqueued (those rows are then marked as queued for longer).
   */
  async function deliverFirst(jobs: DeliveryJob[]): Promise<DeliveryJob[]> {
    const rest = firstAttempts ? firstAttempts.offer(jobs) : jobs;
    await enqueue(rest);
    return rest;
  }

  /**
   * For provisioning (ProvisioningContext.publisherFor): who an account's events go to, read
   * ahead. As each transaction starts, the slots of the endpoints its events go to are asked
   * for (a sender's place reserved in their lanes); the deliveries go out with its commit, the
   * first one to each endpoint whose slot came in time written claimed; once it has committed,
   * those are sent by their reserved senders at once, and the rest go to the lanes as the
   * relay's would, instead of after the relay's next batch.
   * Undefined when first attempts go through the queue (the relay then fans them out).
   */
  const publisherFor = firstAttempts
    ? async (accountPath: string): Promise<Publisher> => {
        const recipients = await recipientsOf(db, accountPath);
        return {
          begin(type) {
            const reserved = new Map<string, Reservation<ClaimedDelivery | undefined>>();
            for (const endpoint of endpointsTaking(recipients, type)) {
              const reservation = firstAttempts.reserve(endpoint.id);
              if (reservation) reserved.set(endpoint.id, reservation);
            }
            let written: Promise<{ job: DeliveryJob; claimed?: ClaimedDelivery }[]> | undefined;
            const cancelAll = () => {
              for (const reservation of reserved.values()) reservation.cancel();
            };
            return {
              async write(trx, events) {
                const endpointIds = new Set([...reserved].filter(([, r]) => r.granted).map(([id]) => id));
                ({ written } = await fanOutWithCommit(trx, events, recipients, {
                  queuedForMs: firstAttemptsTrustMs,
                  claimFor: { endpointIds, leaseMs: attemptLeaseMs(settings) },
                }));
              },
              end(committed) {
                if (!committed || !written) return cancelAll();
                // Not waited for; should it fail, the rows are due once their time in this process
                // (or their claim's lease) is over.
                void written
                  .then((rows) => {
                    const rest: DeliveryJob[] = [];
                    for (const { job, claimed } of rows) {
                      const reservation = claimed && reserved.get(job.endpointId);
                      if (!reservation) rest.push(job);
                      else {
                        reserved.delete(job.endpointId);
                        reservation.start(job, Promise.resolve(claimed));
                      }
                    }
                    cancelAll();
                    return sendFirstAttempts(db, deliverFirst, rest);
                  })
                  .catch((error) => log.warn({ err: error }, "first attempts after a provisioning commit failed; the sweep sends them"));
              },
            };
          },
        };
      }
    : undefined;

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
    enqueue,
    attempt,
    postponeMs,
    deliverFirst,
    publisherFor,
    /** What waits in the in-process lanes and how many senders work them. */
    firstAttemptsDepth: () => firstAttempts?.depth ?? { waiting: 0, sending: 0 },
    /** For the relay: how long the rows it writes are left to `deliverFirst` (0: to the queue). */
    firstAttemptsTrustMs: firstAttempts ? firstAttemptsTrustMs : 0,
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
    /** Hands first attempts not yet started to the queue and waits for those in flight. */
    async stopFirstAttempts() {
      await firstAttempts?.stop();
    },
    async close() {
      await this.stopSweep();
      await this.stopFirstAttempts();
      await sender.close();
    },
  };
}
