import { RetryLater } from "@canopy/domain/commerce";
import { jobIds, type PendingEvent, type QueueName, queueDefinitions } from "@canopy/domain/messaging";
import { backoffDelay } from "@canopy/domain/shared";
import { Job } from "bullmq";
import type { Logger } from "pino";
import type { JobContext, Queues } from "./queues";

type RunJob = (queue: QueueName, payload: unknown, context: JobContext) => Promise<unknown>;

interface Reserved {
  queue: QueueName;
  event: PendingEvent;
}

/**
 * The first run of the jobs a relay batch creates (an order to provision, a subscription
 * request, an account status to apply), made in this process as soon as the batch has
 * committed instead of after a trip through Redis and a worker's fetch.
 *
 * The guarantees stay with the queue: the relay still adds each job, in its transaction,
 * delayed by `graceMs`. If this run succeeds the delayed job is removed; if it fails (a
 * transient error, a bug, a failed order) the job is moved up to run now or after the first
 * backoff, so retries, failures and the dashboard's view are BullMQ's as before; if the
 * process dies, the delayed job runs once `graceMs` has passed. Runs racing a queued copy are
 * harmless (the processors are idempotent: conditional updates, the ISV's idempotency key).
 * At most `concurrency` runs at once; beyond it the relay adds the job without delay.
 */
export class LocalFirstRuns {
  private running = 0;
  private reserved: Reserved[] = [];
  private readonly inFlight = new Set<Promise<void>>();
  private stopped = false;

  constructor(
    private readonly opts: {
      queues: Queues;
      /** The queues this process works on that take relayed events. */
      local: ReadonlySet<QueueName>;
      run: RunJob;
      concurrency: number;
      graceMs: number;
      attempts: number;
      backoff: { baseMs: number; maxMs: number };
      log: Logger;
    },
  ) {}

  /** For `pushEvents`, inside the relay's transaction: the delay of each job (graceMs if taken here). */
  delayOf = (queue: QueueName, event: PendingEvent): number => {
    if (this.stopped || !this.opts.local.has(queue) || this.running + this.reserved.length >= this.opts.concurrency) return 0;
    this.reserved.push({ queue, event });
    return this.opts.graceMs;
  };

  /** After the relay's batch committed: runs what it reserved. */
  start(): void {
    for (const { queue, event } of this.reserved.splice(0)) {
      this.running++;
      const run = this.runOne(queue, event).finally(() => {
        this.running--;
        this.inFlight.delete(run);
      });
      this.inFlight.add(run);
    }
  }

  /** The batch did not commit: its events are relayed again later, nothing runs now. */
  forget(): void {
    this.reserved = [];
  }

  private async runOne(queue: QueueName, event: PendingEvent) {
    const jobId = jobIds.relayedEvent(event.id);
    const payload = queueDefinitions[queue].payload.parse({
      eventId: event.id,
      type: event.type,
      accountId: event.accountId,
      subjectId: event.subjectId,
    });
    try {
      await this.opts.run(queue, payload, {
        attempt: 1,
        finalAttempt: false,
        jobId,
        postpone: async () => {
          throw new RetryLater("postponed");
        },
      });
    } catch (error) {
      await this.handOver(queue, jobId, error);
      return;
    }
    // Done: the queue's copy is not needed (should this fail, it runs later and finds nothing to do).
    await this.opts.queues[queue].remove(jobId).catch(() => {});
  }

  private async handOver(queue: QueueName, jobId: string, error: unknown) {
    const transient = error instanceof RetryLater;
    this.opts.log[transient ? "info" : "warn"](
      { queue, jobId, err: (error as Error).message },
      "first run in process failed; the queued job takes over",
    );
    try {
      const job = await Job.fromId(this.opts.queues[queue], jobId);
      if (!job || !(await job.isDelayed())) return; // already running or done in the queue
      // The run made here was the job's first attempt. A transient failure waits for the first
      // backoff; anything else runs now, so that the queue's attempts, its failure and the
      // dashboard's view are what they were.
      await job.updateData({ ...job.data, attemptsBefore: 1 } as never);
      if (transient && this.opts.attempts > 1) await job.changeDelay(backoffDelay(1, this.opts.backoff.baseMs, this.opts.backoff.maxMs));
      else await job.promote();
    } catch (handOverError) {
      // Redis is unreachable: the delayed job runs when its grace is over.
      this.opts.log.warn({ queue, jobId, err: handOverError }, "could not move the queued job up; it runs when its grace period ends");
    }
  }

  /** Stops taking runs and waits for those in flight. */
  async stop(): Promise<void> {
    this.stopped = true;
    this.reserved = [];
    while (this.inFlight.size > 0) await Promise.all(this.inFlight);
  }
}
