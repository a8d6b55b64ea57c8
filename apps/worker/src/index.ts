import type { Db } from "@canopy/db";
import { type ConnectorRegistry, createConnectorRegistry, createDemoConnector, RetryLater } from "@canopy/domain/commerce";
import { type QueueName, queueNames } from "@canopy/domain/messaging";
import { backoffDelay } from "@canopy/domain/shared";
import { DelayedError, UnrecoverableError, type Worker } from "bullmq";
import { Redis } from "ioredis";
import pino, { type Logger } from "pino";
import { scheduleBilling } from "./billing-schedule";
import { LocalFirstRuns } from "./local-runs";
import { processors } from "./processors/index";
import { createQueues, type JobContext, pushEvents, type Queues, registerProcessor } from "./queues";
import { startRecovery } from "./recovery";
import { type Relay, startRelay } from "./relay";
import { setUpWebhooks, type WebhookWorkerOptions } from "./webhooks";

export interface StartWorkerOptions {
  db: Db;
  /** For the relay's LISTEN connection (a pooled connection cannot hold a LISTEN). */
  databaseUrl: string;
  redisUrl: string;
  /** BullMQ key prefix: one per deployment, one per test. */
  prefix: string;
  concurrency?: number;
  attempts?: number;
  backoff?: { baseMs: number; maxMs: number };
  lockDurationMs?: number;
  stalledIntervalMs?: number;
  maxStalledCount?: number;
  relay?: { batchSize?: number; safetyPollMs?: number };
  /** The sweep that gives lost or failed order jobs back (see recovery.ts). */
  recovery?: { intervalMs?: number; afterMs?: number };
  /** Defaults to the demo connector at zero latency (and no http secrets). */
  connectors?: ConnectorRegistry;
  /** Which queues this process works on (default: all); the relay runs regardless. */
  queues?: QueueName[];
  logger?: Logger;
  /** Called during shutdown after the workers stopped and before Redis is disconnected. */
  onDrained?: () => Promise<void>;
  /** Webhook delivery: sealing key, SSRF allowance, timeout, fairness; development defaults when absent. */
  webhooks?: Partial<WebhookWorkerOptions>;
  /**
   * How long the queue's copy of a job this process runs itself right after the relay (first
   * runs, first delivery attempts) waits before it runs anyway: what a crash costs in delay.
   * 0: every job goes through the queue (see local-runs.ts and first-attempts.ts).
   */
  inProcessGraceMs?: number;
  /** Billing's clock (tests fix `now`) and how often its schedulers tick (default every minute). */
  billing?: { now?: () => Date; tickMs?: number };
  /** Told once per order this worker settled (completed or error): canopy_orders_total counts them. */
  onOrderSettled?: (order: { type: string; outcome: string }) => void;
}

export interface RunningWorker {
  queues: Queues;
  relay: Relay;
  workers: Worker[];
  /** Deliveries waiting for their first attempt in this process's lanes, and senders at work. */
  firstAttemptsDepth(): { waiting: number; sending: number };
  /** Stops intake (relay, new jobs), lets active jobs finish, then disconnects. Idempotent. */
  close(): Promise<void>;
}

export { loadConfig, type WorkerConfig } from "./config";

/**
 * The queues whose jobs this process runs itself right after the relay (see local-runs.ts):
 * provisioning, on the way from an order to its first webhook. Account status changes and
 * vendor requests are rarer and not latency-bound; they keep going through the queue.
 */
const FIRST_RUN_IN_PROCESS: QueueName[] = ["order-provisioning"];

export type { Queues } from "./queues";

export async function startWorker(options: StartWorkerOptions): Promise<RunningWorker> {
  const {
    db,
    databaseUrl,
    redisUrl,
    prefix,
    concurrency = 16,
    attempts = 8,
    backoff = { baseMs: 1000, maxMs: 5 * 60_000 },
    lockDurationMs = 30_000,
    stalledIntervalMs = 30_000,
    maxStalledCount = 5,
    logger = pino({ level: "info" }),
  } = options;
  const log = logger;
  const connectors = options.connectors ?? createConnectorRegistry({ demo: createDemoConnector({ db }) });

  // The producer connection fails fast while Redis is down (the relay then waits and retries);
  // worker connections must never give up on a command (BullMQ: maxRetriesPerRequest null).
  // A bounded command time keeps a Redis that accepts connections but hangs from holding the
  // relay's transaction (and its lock) open: the batch fails, rolls back and is retried.
  const producer = new Redis(redisUrl, { maxRetriesPerRequest: 1, enableOfflineQueue: false, commandTimeout: 10_000 });
  const consumer = new Redis(redisUrl, { maxRetriesPerRequest: null });
  producer.on("error", (error) => log.debug({ err: error }, "redis (producer) connection error"));
  consumer.on("error", (error) => log.debug({ err: error }, "redis (worker) connection error"));

  const queues = createQueues(producer, prefix, { attempts });
  for (const queue of Object.values(queues)) queue.on("error", (error) => log.warn({ err: error, queue: queue.name }, "queue error"));

  const served = new Set<QueueName>(options.queues ?? queueNames.filter((name) => name in processors));
  const graceMs = options.inProcessGraceMs ?? 30_000;
  const webhooks = setUpWebhooks({
    db,
    queues,
    redis: producer,
    prefix,
    log,
    options: { ...options.webhooks, firstAttemptsTrustMs: served.has("webhook-delivery") ? graceMs : 0 },
  });
  const deps = { db, connectors, log, webhooks, onOrderSettled: options.onOrderSettled, now: options.billing?.now ?? (() => new Date()) };
  const processorOf = Object.fromEntries(
    [...served].map((name) => [name, processors[name](deps as never) as (payload: unknown, ctx: JobContext) => Promise<unknown>]),
  ) as Partial<Record<QueueName, (payload: unknown, ctx: JobContext) => Promise<unknown>>>;
  const local = new LocalFirstRuns({
    queues,
    local: new Set(graceMs > 0 ? FIRST_RUN_IN_PROCESS.filter((name) => served.has(name)) : []),
    run: (queue, payload, ctx) => processorOf[queue]!(payload, ctx),
    concurrency,
    graceMs,
    attempts,
    backoff,
    log,
  });
  const relay = startRelay({
    db,
    databaseUrl,
    push: (events) => pushEvents(queues, events, local.delayOf),
    batches: { committed: () => local.start(), failed: () => local.forget() },
    deliver: (jobs) => webhooks.deliverFirst(jobs),
    deliveriesTrustMs: webhooks.firstAttemptsTrustMs,
    canPush: () => producer.status === "ready",
    batchSize: options.relay?.batchSize ?? 500,
    safetyPollMs: options.relay?.safetyPollMs ?? 10_000,
    log,
  });
  producer.on("ready", () => relay.wake()); // catch up on what committed while Redis was away
  const recovery = startRecovery({
    db,
    queues,
    intervalMs: options.recovery?.intervalMs ?? 60_000,
    afterMs: options.recovery?.afterMs ?? 10 * 60_000,
    log,
  });

  const workers: Worker[] = [...served].map((name) => {
    const process = processorOf[name]!;
    const worker = registerProcessor(
      name,
      async (payload, ctx) => {
        try {
          return await process(payload, ctx);
        } catch (error) {
          if (error instanceof RetryLater || error instanceof DelayedError) throw error; // BullMQ retries it with backoff
          if (error instanceof UnrecoverableError) throw error; // settled: the job fails without another attempt
          // A bug or an unexpected state: retrying the same input cannot help forever, but a
          // database hiccup can, so only the last attempt gives up.
          if (ctx.finalAttempt) throw new UnrecoverableError((error as Error).message);
          throw error;
        }
      },
      {
        connection: consumer,
        prefix,
        // One clock tick at a time per worker (each is idempotent, but running two at once gains nothing).
        concurrency: name === "billing-clock" ? 1 : (webhooks.concurrencyOf(name) ?? concurrency),
        lockDuration: lockDurationMs,
        stalledInterval: stalledIntervalMs,
        maxStalledCount,
        // Completed/failed counts per minute, kept in Redis for a week: the API's /metrics reads
        // them, so one scrape shows every worker's job outcomes.
        metrics: { maxDataPoints: 60 * 24 * 7 },
        settings: { backoffStrategy: (attemptsMade: number) => backoffDelay(attemptsMade, backoff.baseMs, backoff.maxMs) },
      },
    );
    worker.on("error", (error) => log.warn({ err: error, queue: name }, "worker error"));
    worker.on("failed", (job, error) => {
      const final =
        error instanceof UnrecoverableError || error.name === "UnrecoverableError" || (job && job.attemptsMade >= (job.opts.attempts ?? 1));
      log[final ? (error.name === "UnrecoverableError" ? "warn" : "error") : "info"](
        { queue: name, jobId: job?.id, attemptsMade: job?.attemptsMade, err: error.message },
        final ? "job failed for good" : "job will be retried",
      );
    });
    return worker as Worker;
  });

  webhooks.start();
  if (workers.some((w) => w.name === "billing-clock")) {
    // The producer refuses commands until connected: place the schedulers once it is ready.
    const tickMs = options.billing?.tickMs ?? 60_000;
    const schedule = () =>
      void scheduleBilling(queues, tickMs, log).catch((error) => log.warn({ err: error }, "billing schedulers not placed yet"));
    if (producer.status === "ready") schedule();
    producer.on("ready", schedule);
  }
  let closing: Promise<void> | undefined;
  return {
    queues,
    relay,
    workers,
    firstAttemptsDepth: webhooks.firstAttemptsDepth,
    close() {
      closing ??= (async () => {
        // docs/architecture.md: stop intake → let active jobs finish → database → Redis
        await relay.stop();
        await recovery.stop();
        await webhooks.stopSweep();
        await Promise.all([local.stop(), webhooks.stopFirstAttempts()]);
        await Promise.all(workers.map((w) => w.close()));
        await webhooks.close();
        await Promise.all(Object.values(queues).map((q) => q.close()));
        await options.onDrained?.();
        await Promise.all([producer.quit().catch(() => producer.disconnect()), consumer.quit().catch(() => consumer.disconnect())]);
      })();
      return closing;
    },
  };
}
