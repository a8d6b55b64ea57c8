import { connectorEnvironment } from "@canopy/domain/catalog";
import { sealingKeyFrom } from "@canopy/domain/messaging";
import { z } from "zod";
import type { WebhookWorkerOptions } from "./webhooks";

// The only place the worker reads process.env (docs/architecture.md).
const rate = z.coerce.number().min(0).max(1);

const schema = z.object({
  DATABASE_URL: z.string().default("postgres://postgres@127.0.0.1:5432/canopy"),
  REDIS_URL: z.string().default("redis://127.0.0.1:6379"),
  LOG_LEVEL: z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).default("info"),
  /** Human-readable logs (pino-pretty); JSON lines otherwise. Default: when stdout is a terminal. */
  LOG_PRETTY: z
    .enum(["1", "true", "yes", "0", "false", "no"])
    .optional()
    .transform((v) => (v === undefined ? process.stdout.isTTY === true : v === "1" || v === "true" || v === "yes")),
  /** The worker's own /metrics and /healthz (0: not served). */
  WORKER_METRICS_PORT: z.coerce.number().int().min(0).max(65535).default(9464),
  WORKER_METRICS_HOST: z.string().default("0.0.0.0"),
  /** Every BullMQ key starts with it; tests give each run its own. */
  WORKER_QUEUE_PREFIX: z
    .string()
    .min(1)
    .regex(/^[^:]+$/, "must not contain ':'")
    .default("canopy"),
  WORKER_CONCURRENCY: z.coerce.number().int().min(1).max(500).default(16),
  /** Attempts per job before an order goes to `error` (transient failures only). */
  WORKER_ATTEMPTS: z.coerce.number().int().min(1).max(100).default(8),
  /** Exponential backoff: base delay doubled per attempt, capped, with full jitter. */
  WORKER_BACKOFF_BASE_MS: z.coerce.number().int().min(0).default(1000),
  WORKER_BACKOFF_MAX_MS: z.coerce
    .number()
    .int()
    .min(0)
    .default(5 * 60_000),
  /** How long a job's lock lives without renewal; a crashed worker's jobs are recovered after it. */
  WORKER_LOCK_DURATION_MS: z.coerce.number().int().min(1000).default(30_000),
  WORKER_STALLED_INTERVAL_MS: z.coerce.number().int().min(500).default(30_000),
  WORKER_MAX_STALLED_COUNT: z.coerce.number().int().min(0).default(5),
  /**
   * Right after the relay commits, the worker runs provisioning and first delivery attempts
   * itself; the queued copy waits this long and runs only if the worker died (0: queue only).
   */
  WORKER_IN_PROCESS_GRACE_MS: z.coerce.number().int().min(0).default(30_000),
  /** The relay wakes on NOTIFY; this slow poll only covers a missed notification. */
  RELAY_SAFETY_POLL_MS: z.coerce.number().int().min(100).default(10_000),
  RELAY_BATCH_SIZE: z.coerce.number().int().min(1).max(10_000).default(500),
  /** Open orders untouched this long get their job checked (re-added if Redis lost it). */
  WORKER_RECOVERY_AFTER_MS: z.coerce
    .number()
    .int()
    .min(0)
    .default(10 * 60_000),
  WORKER_RECOVERY_INTERVAL_MS: z.coerce.number().int().min(100).default(60_000),
  /** The demo connector's simulated ISV application. */
  DEMO_LATENCY_MS: z.coerce.number().int().min(0).default(50),
  DEMO_TRANSIENT_FAILURE_RATE: rate.default(0),
  DEMO_PERMANENT_FAILURE_RATE: rate.default(0),
  /** Timeout of calls to ISV applications through the http connector. */
  CONNECTOR_HTTP_TIMEOUT_MS: z.coerce.number().int().min(100).default(10_000),
  /** Opens the sealed webhook secrets: the API's value. Unset outside production, a public development key. */
  CANOPY_SECRET_KEY: z.string().min(32, "must be at least 32 characters").optional(),
  NODE_ENV: z.string().optional(),
  /** Lets webhook endpoints reach private and loopback addresses (tests, local development). */
  WEBHOOK_ALLOW_PRIVATE_URLS: z
    .enum(["1", "true", "yes", "0", "false", "no", ""])
    .optional()
    .transform((v) => v === "1" || v === "true" || v === "yes"),
  WEBHOOK_TIMEOUT_MS: z.coerce.number().int().min(100).max(120_000).default(15_000),
  /** Multiplies the retry schedule and the 5-day disabling window (tests only; 1 in production). */
  WEBHOOK_RETRY_SCALE: z.coerce.number().positive().max(1).default(1),
  WEBHOOK_DELIVERY_CONCURRENCY: z.coerce.number().int().min(1).max(1000).default(64),
  /** Requests in flight to one endpoint, so that one slow receiver cannot take every delivery slot. */
  WEBHOOK_ENDPOINT_CONCURRENCY: z.coerce.number().int().min(1).max(100).default(4),
  WEBHOOK_SWEEP_INTERVAL_MS: z.coerce.number().int().min(50).default(5_000),
  /** How often billing's schedulers tick (renewals due, months to close). */
  BILLING_TICK_MS: z.coerce.number().int().min(100).default(60_000),
  /** Tests only: billing's clock stands still at this instant (renewals and month ends), e.g. 2026-12-01T00:00:05Z. */
  BILLING_NOW: z.iso.datetime({ offset: true }).optional(),
  /** CANOPY_CONNECTORS and CONNECTOR_HTTP_SECRETS, as the API reads them (the connectors run, the http signing secrets). */
  ...connectorEnvironment,
});

export type WorkerConfig = z.infer<typeof schema>;

/** The webhook side's settings; refuses to start in production without CANOPY_SECRET_KEY. */
export function webhookOptionsOf(config: WorkerConfig): WebhookWorkerOptions {
  return {
    settings: {
      sealingKey: sealingKeyFrom(config.CANOPY_SECRET_KEY, { production: config.NODE_ENV === "production" }),
      allowPrivateUrls: config.WEBHOOK_ALLOW_PRIVATE_URLS,
      timeoutMs: config.WEBHOOK_TIMEOUT_MS,
      retryScale: config.WEBHOOK_RETRY_SCALE,
    },
    deliveryConcurrency: config.WEBHOOK_DELIVERY_CONCURRENCY,
    endpointConcurrency: config.WEBHOOK_ENDPOINT_CONCURRENCY,
    slotWaitMs: 1_000,
    sweepIntervalMs: config.WEBHOOK_SWEEP_INTERVAL_MS,
  };
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): WorkerConfig {
  const parsed = schema.safeParse(env);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `  ${i.path.join(".")}: ${i.message}`).join("\n");
    throw new Error(`invalid configuration:\n${problems}`);
  }
  return parsed.data;
}
