import { RetryLater } from "@canopy/domain/commerce";
import { jobIds, type PendingEvent, type QueueName, queueDefinitions } from "@canopy/domain/messaging";
import { backoffDelay } from "@canopy/domain/shared";
import { Job } from "bullmq";
import type { Logger } from "pino";
import type { JobContext, Queues } from "./queues";

type RunJob = (queue: QueueName, payload: unknown, context: JobContext) => Promise<unknown>;

/** The relay batch a run was started from: whether it committed decides what the run leaves behind. */
interface Batch {
  committed: Promise<boolean>;
  settle: (committed: boolean) => void;
}

/**
 * The first run of the jobs a relay batch creates (an order to provision, a subscription
 * request, an account status to apply), made in this process as soon as the relay has read the
 * batch, instead of after a trip through Redis and a worker's fetch.
 *
 * The guarantees stay with the queue: the relay still adds each job, in its transaction,
 * delayed by `graceMs`. The run starts while that transaction is still open (its Redis push
 * and commit overlap the run's first statements): the run is idempotent, so starting it on a
 * batch that then fails costs nothing but a second run once the batch is relayed again. What
 * the run leaves behind waits for the batch's outcome: if the run succeeds the delayed job is
 * removed; if it fails (a transient error, a bug, a failed order) the job is moved up to run now
 * or after the first backoff, so retries, failures and the dashboard's view are BullMQ's as
 * before; if the process dies, the delayed job runs once `graceMs` has passed. Runs racing a
 * queued copy are harmless (the processors are idempotent: conditional updates, the ISV's
 * idempotency key). At most `concurrency` runs at once; beyond it the relay adds the job
 * without delay.
 */
export class LocalFirstRuns {
  private batch: Batch | undefined;
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

  /** For `pushEvents`, inside the relay's transaction: the delay of each job (graceMs if run here, starting now). */
  delayOf = (queue: QueueName, event: PendingEvent): number => {
    if (this.stopped || !this.opts.local.has(queue) || this.inFlight.size >= this.opts.concurrency) return 0;
    if (!this.batch) {
      let settle!: (committed: boolean) => void;
      const committed = new Promise<boolean>((resolve) => {
        settle = resolve;
      });
      this.batch = { committed, settle };
    }
    const run = this.runOne(queue, event, this.batch.committed).finally(() => this.inFlight.delete(run));
    this.inFlight.add(run);
    return this.opts.graceMs;
  };

  /** The relay's batch committed: its queued copies exist, the runs started from it may settle. */
  start(): void {
    this.batch?.settle(true);
    this.batch = undefined;
  }

  /** The batch did not commit (a no-op after `start`): its events are relayed again later, with new runs. */
  forget(): void {
    this.batch?.settle(false);
    this.batch = undefined;
  }

  private async runOne(queue: QueueName, event: PendingEvent, batchCommitted: Promise<boolean>) {
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
      // A batch that did not commit is relayed again, with a run of its own that settles the
      // queued copy (re-adding it is a no-op if its push went through).
      if (await batchCommitted) await this.handOver(queue, jobId, error);
      return;
    }
    // Done: the queue's copy is not needed (should this fail, it runs later and finds nothing to do).
    if (await batchCommitted) await this.opts.queues[queue].remove(jobId).catch(() => {});
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
    while (this.inFlight.size > 0) await Promise.all(this.inFlight);
  }
}
