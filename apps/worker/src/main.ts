// `npm start -w @canopy/worker`, or `tsx apps/worker/src/main.ts`: the worker as a process.
import { createDb, ensureDatabase, migrateToLatest } from "@canopy/db";
import { createConnectorRegistry, createDemoConnector } from "@canopy/domain/commerce";
import pino from "pino";
import { loadConfig, webhookOptionsOf } from "./config";
import { startWorker } from "./index";
import { createWorkerMetrics } from "./metrics";

const config = loadConfig();
const log = pino({
  level: config.LOG_LEVEL,
  name: "canopy-worker",
  ...(config.LOG_PRETTY && {
    transport: {
      target: "pino-pretty",
      options: { colorize: true, singleLine: true, translateTime: "HH:MM:ss.l", ignore: "pid,hostname" },
    },
  }),
});
const metrics = createWorkerMetrics();
await ensureDatabase(config.DATABASE_URL);
const db = createDb({
  connectionString: config.DATABASE_URL,
  applicationName: "canopy-worker",
  max: Math.max(10, config.WORKER_CONCURRENCY + 4),
});
await migrateToLatest(db);

const connectors = metrics.instrumentConnectors(
  createConnectorRegistry({
    demo: createDemoConnector({
      db,
      latencyMs: config.DEMO_LATENCY_MS,
      transientFailureRate: config.DEMO_TRANSIENT_FAILURE_RATE,
      permanentFailureRate: config.DEMO_PERMANENT_FAILURE_RATE,
    }),
    httpSecrets: config.CONNECTOR_HTTP_SECRETS,
    httpTimeoutMs: config.CONNECTOR_HTTP_TIMEOUT_MS,
    enabled: config.CANOPY_CONNECTORS,
  }),
);

const worker = await startWorker({
  db,
  databaseUrl: config.DATABASE_URL,
  redisUrl: config.REDIS_URL,
  prefix: config.WORKER_QUEUE_PREFIX,
  concurrency: config.WORKER_CONCURRENCY,
  attempts: config.WORKER_ATTEMPTS,
  backoff: { baseMs: config.WORKER_BACKOFF_BASE_MS, maxMs: config.WORKER_BACKOFF_MAX_MS },
  lockDurationMs: config.WORKER_LOCK_DURATION_MS,
  stalledIntervalMs: config.WORKER_STALLED_INTERVAL_MS,
  maxStalledCount: config.WORKER_MAX_STALLED_COUNT,
  inProcessGraceMs: config.WORKER_IN_PROCESS_GRACE_MS,
  relay: { batchSize: config.RELAY_BATCH_SIZE, safetyPollMs: config.RELAY_SAFETY_POLL_MS },
  recovery: { intervalMs: config.WORKER_RECOVERY_INTERVAL_MS, afterMs: config.WORKER_RECOVERY_AFTER_MS },
  connectors,
  logger: log,
  webhooks: { ...webhookOptionsOf(config), onFirstAttempt: metrics.countFirstAttempt },
  billing: { tickMs: config.BILLING_TICK_MS, now: config.BILLING_NOW ? () => new Date(config.BILLING_NOW!) : undefined },
  onOrderSettled: metrics.countOrder,
  onDrained: () => db.destroy(),
});
for (const queueWorker of worker.workers) metrics.observeWorker(queueWorker, log);
metrics.watchFirstAttempts(worker.firstAttemptsDepth);
const metricsServer = config.WORKER_METRICS_PORT ? await serveMetrics(config.WORKER_METRICS_PORT, config.WORKER_METRICS_HOST) : undefined;
log.info(
  { prefix: config.WORKER_QUEUE_PREFIX, concurrency: config.WORKER_CONCURRENCY, metricsPort: config.WORKER_METRICS_PORT || undefined },
  "worker started",
);
// Tests and supervisors that start the worker as a child wait for this line.
if (process.send) process.send({ ready: true });

/** A taken port is a clear one-line refusal (like the API's PORT), not a stack trace. */
async function serveMetrics(port: number, host: string) {
  try {
    return await metrics.serve(port, host);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "EADDRINUSE") throw error;
    log.fatal(
      `port ${port} (WORKER_METRICS_PORT, the worker's metrics) is taken: stop what listens there, or set WORKER_METRICS_PORT=<another port> (0: no metrics)`,
    );
    await worker.close();
    log.flush?.();
    process.exit(1);
  }
}

let stopping = false;
async function shutdown(signal: string) {
  if (stopping) {
    log.warn({ signal }, "second signal: exiting without waiting for active jobs");
    process.exit(1);
  }
  stopping = true;
  log.info({ signal }, "shutting down: finishing active jobs");
  await worker.close();
  metricsServer?.close();
  log.info("worker stopped");
  process.exit(0);
}
process.on("SIGINT", () => void shutdown("SIGINT"));
process.on("SIGTERM", () => void shutdown("SIGTERM"));
