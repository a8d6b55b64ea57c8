import {
  type JobPayload,
  jobIds,
  type PendingEvent,
  type QueueName,
  queueDefinitions,
  queueNames,
  queuesForEvent,
} from "@canopy/domain/messaging";
import { DelayedError, type Job, Queue, type RedisConnection, Worker, type WorkerOptions } from "bullmq";
import type { Redis } from "ioredis";

// Typed helpers over BullMQ built on the domain's queue map (docs/architecture.md): what a queue
// carries is declared once, checked with zod when a job is added and again when it is run.

export interface JobDefaults {
  attempts: number;
  /** How long completed and failed jobs stay visible in the dashboard. */
  keepCompletedSeconds?: number;
  keepFailedSeconds?: number;
}

export type Queues = { [Q in QueueName]: Queue<JobPayload<Q>> };

export function createQueues(connection: Redis, prefix: string, defaults: JobDefaults): Queues {
  const entries = queueNames.map((name) => [
    name,
    new Queue(name, {
      connection,
      prefix,
      defaultJobOptions: {
        attempts: defaults.attempts,
        backoff: { type: "canopy" },
        removeOnComplete: { age: defaults.keepCompletedSeconds ?? 24 * 3600, count: 10_000 },
        removeOnFail: { age: defaults.keepFailedSeconds ?? 7 * 24 * 3600 },
      },
    }),
  ]);
  return Object.fromEntries(entries) as Queues;
}

/** Adds a job after checking its payload against the queue's schema. */
export async function enqueue<Q extends QueueName>(queues: Queues, name: Q, jobName: string, payload: JobPayload<Q>, jobId: string) {
  const data = queueDefinitions[name].payload.parse(payload) as JobPayload<Q>;
  const queue = queues[name] as Queue<JobPayload<Q>>;
  return queue.add(jobName as never, data as never, { jobId });
}

/**
 * Hands a batch of committed events to every queue that takes their type, in the batch's
 * order, one round trip per queue. The jobId is the event id, so re-adding is a no-op.
 * Jobs that `delayOf` gives a delay (those this process runs itself first, see LocalFirstRuns)
 * wait in the delayed set that long: the queue's copy only runs if the process did not.
 */
export async function pushEvents(
  queues: Queues,
  events: PendingEvent[],
  delayOf: (queue: QueueName, event: PendingEvent) => number = () => 0,
): Promise<void> {
  const perQueue = new Map<QueueName, PendingEvent[]>();
  for (const event of events) {
    for (const name of queuesForEvent(event.type)) perQueue.set(name, [...(perQueue.get(name) ?? []), event]);
  }
  const jobs = [...perQueue].map(([name, batch]) => ({
    name,
    batch: batch.map((e) => ({
      name: e.type,
      data: queueDefinitions[name].payload.parse({
        eventId: e.id,
        type: e.type,
        accountId: e.accountId,
        subjectId: e.subjectId,
      }) as never,
      opts: { jobId: jobIds.relayedEvent(e.id), delay: delayOf(name, e) },
    })),
  }));
  // Runs started here get their first statements out before BullMQ's addBulk runs: on this
  // one event loop, its JavaScript would otherwise come first.
  if (jobs.some((j) => j.batch.some((job) => job.opts.delay > 0))) await new Promise((resolve) => setImmediate(resolve));
  await Promise.all(jobs.map(({ name, batch }) => queues[name].addBulk(batch as never)));
}

export interface JobContext {
  attempt: number;
  /** No retry follows if this run fails: the processor must settle the outcome itself. */
  finalAttempt: boolean;
  jobId: string;
  /** Puts the job back in the delayed set for `ms` without spending an attempt (throws DelayedError). */
  postpone(ms: number): Promise<never>;
}

export type Processor<Q extends QueueName> = (payload: JobPayload<Q>, context: JobContext) => Promise<unknown>;

/** Starts a worker for one queue, validating each payload before the processor sees it. */
export function registerProcessor<Q extends QueueName>(
  name: Q,
  processor: Processor<Q>,
  options: Omit<WorkerOptions, "connection"> & { connection: Redis | RedisConnection },
): Worker<JobPayload<Q>> {
  return new Worker<JobPayload<Q>>(
    name,
    async (job: Job<JobPayload<Q>>, token?: string) => {
      const payload = queueDefinitions[name].payload.parse(job.data) as JobPayload<Q>;
      // A first run made in process (local-runs.ts) counts as an attempt of the job.
      const before = (payload as { attemptsBefore?: number }).attemptsBefore ?? 0;
      const attempt = job.attemptsMade + 1 + before;
      return processor(payload, {
        attempt,
        finalAttempt: attempt >= (job.opts.attempts ?? 1),
        jobId: job.id ?? "",
        async postpone(ms) {
          await job.moveToDelayed(Date.now() + ms, token);
          throw new DelayedError();
        },
      });
    },
    options as WorkerOptions,
  );
}
