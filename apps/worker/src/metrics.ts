import { createServer, type Server } from "node:http";
import type { Connector, ConnectorRegistry, ConnectorResult } from "@canopy/domain/commerce";
import { connectorOperations } from "@canopy/domain/commerce";
import type { Job, Worker } from "bullmq";
import type { Logger } from "pino";
import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from "prom-client";

/**
 * The worker's Prometheus metrics, served on WORKER_METRICS_PORT at /metrics (each worker
 * process counts what it did; Prometheus sums over processes):
 * - canopy_worker_jobs_total{queue,outcome}: completed, retrying (failed, another attempt
 *   follows) or failed (no attempt left);
 * - canopy_worker_job_duration_seconds{queue,outcome}: processing time of each attempt;
 * - canopy_provisioning_duration_seconds{connector,operation,outcome}: each call to an ISV
 *   application through its connector (ok, transient, permanent, error);
 * - canopy_webhook_delivery_attempts_total{outcome}: each webhook delivery attempt, queued or in process;
 * - canopy_webhook_first_attempts{state}: deliveries waiting in, or being sent from, the in-process lanes;
 * - canopy_orders_total{type,outcome}: orders this worker settled (completed, error), each once.
 * Queue depths are read from Redis by the API's /metrics, for all workers at once.
 */
export function createWorkerMetrics() {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: "canopy_worker_" });
  const jobs = new Counter({
    name: "canopy_worker_jobs_total",
    help: "Job attempts finished by this worker, by queue and outcome",
    labelNames: ["queue", "outcome"] as const,
    registers: [registry],
  });
  const jobDuration = new Histogram({
    name: "canopy_worker_job_duration_seconds",
    help: "Processing time of a job attempt, by queue and outcome",
    labelNames: ["queue", "outcome"] as const,
    buckets: [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60],
    registers: [registry],
  });
  const provisioning = new Histogram({
    name: "canopy_provisioning_duration_seconds",
    help: "Calls to ISV applications through their connector, by connector, operation and outcome",
    labelNames: ["connector", "operation", "outcome"] as const,
    buckets: [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
    registers: [registry],
  });
  const webhookAttempts = new Counter({
    name: "canopy_webhook_delivery_attempts_total",
    help: "Webhook delivery attempts, by outcome",
    labelNames: ["outcome"] as const,
    registers: [registry],
  });

  const orders = new Counter({
    name: "canopy_orders_total",
    help: "Orders settled by this worker, by order type and outcome (completed, error, cancelled)",
    labelNames: ["type", "outcome"] as const,
    registers: [registry],
  });

  let firstAttemptsDepth: (() => { waiting: number; sending: number }) | undefined;
  new Gauge({
    name: "canopy_webhook_first_attempts",
    help: "Webhook deliveries in this worker's in-process lanes: waiting for their first attempt, or being sent",
    labelNames: ["state"] as const,
    registers: [registry],
    collect() {
      const depth = firstAttemptsDepth?.() ?? { waiting: 0, sending: 0 };
      this.set({ state: "waiting" }, depth.waiting);
      this.set({ state: "sending" }, depth.sending);
    },
  });

  const seconds = (job: Job) => (job.finishedOn && job.processedOn ? (job.finishedOn - job.processedOn) / 1000 : undefined);

  return {
    registry,

    /** Counts one settled order (pass as the worker's `onOrderSettled`). */
    countOrder({ type, outcome }: { type: string; outcome: string }) {
      orders.inc({ type, outcome });
    },

    /** Counts a first attempt made in process (pass as the webhooks' `onFirstAttempt`). */
    countFirstAttempt(outcome: string) {
      webhookAttempts.inc({ outcome });
    },

    /** Reports the worker's in-process lanes in canopy_webhook_first_attempts. */
    watchFirstAttempts(depth: () => { waiting: number; sending: number }) {
      firstAttemptsDepth = depth;
    },

    /** Counts and times every job of `worker`, and logs each finished job with its id. */
    observeWorker(worker: Worker, log?: Logger) {
      const queue = worker.name;
      worker.on("completed", (job, result) => {
        const duration = seconds(job);
        jobs.inc({ queue, outcome: "completed" });
        if (duration !== undefined) jobDuration.observe({ queue, outcome: "completed" }, duration);
        if (queue === "webhook-delivery") webhookAttempts.inc({ outcome: attemptOutcome(result) });
        // A job scheduler's run (the billing clock, every minute) is routine: at info it would be
        // most of a quiet worker's log.
        log?.[job.repeatJobKey ? "debug" : "info"](
          { queue, jobId: job.id, attempt: job.attemptsMade, ms: duration === undefined ? undefined : Math.round(duration * 1000) },
          "job completed",
        );
      });
      worker.on("failed", (job) => {
        if (!job) return;
        const outcome = job.attemptsMade >= (job.opts.attempts ?? 1) || job.finishedOn ? "failed" : "retrying";
        const duration = seconds(job);
        jobs.inc({ queue, outcome });
        if (duration !== undefined) jobDuration.observe({ queue, outcome }, duration);
        if (queue === "webhook-delivery") webhookAttempts.inc({ outcome: "error" });
      });
    },

    /** The same registry, with every connector call timed. */
    instrumentConnectors(connectors: ConnectorRegistry): ConnectorRegistry {
      const timed = new WeakMap<Connector, Connector>();
      const wrap = (connector: Connector): Connector => {
        let wrapped = timed.get(connector);
        if (!wrapped) {
          const ops = Object.fromEntries(
            connectorOperations.map((operation) => [
              operation,
              async (request: Parameters<Connector["provision"]>[0]): Promise<ConnectorResult> => {
                const end = provisioning.startTimer({ connector: connector.name, operation });
                try {
                  const result = await connector[operation](request);
                  end({ outcome: result.outcome });
                  return result;
                } catch (error) {
                  end({ outcome: "error" });
                  throw error;
                }
              },
            ]),
          );
          wrapped = { name: connector.name, ...ops } as Connector;
          timed.set(connector, wrapped);
        }
        return wrapped;
      };
      return {
        ...connectors,
        forProduct(product) {
          const found = connectors.forProduct(product);
          return "connector" in found && found.connector ? { ...found, connector: wrap(found.connector) } : found;
        },
      };
    },

    /** Serves /metrics (and /healthz) on `port`; resolves once listening. */
    async serve(port: number, host: string): Promise<Server> {
      const server = createServer((req, res) => {
        if (req.url === "/metrics") {
          registry.metrics().then(
            (body) => res.writeHead(200, { "content-type": registry.contentType }).end(body),
            () => res.writeHead(500).end(),
          );
        } else if (req.url === "/healthz") {
          res.writeHead(200, { "content-type": "application/json" }).end('{"ok":true}');
        } else {
          res.writeHead(404).end();
        }
      });
      await new Promise<void>((resolve, reject) => {
        server.once("error", reject);
        server.listen(port, host, () => resolve());
      });
      return server;
    },
  };
}

export type WorkerMetrics = ReturnType<typeof createWorkerMetrics>;

/** The outcome a webhook-delivery job reports (`{ kind }` or `{ outcome }`), else "completed". */
function attemptOutcome(result: unknown): string {
  const value = result as { kind?: unknown; outcome?: unknown } | null | undefined;
  const outcome = value?.outcome ?? value?.kind;
  return typeof outcome === "string" && /^[a-z_]{1,20}$/.test(outcome) ? outcome : "completed";
}
