import type { FastifyInstance, FastifyRequest } from "fastify";
import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from "prom-client";
import type { QueueHandles } from "./queues";

/**
 * The API's Prometheus metrics, served at /metrics:
 * - canopy_http_request_duration_seconds{procedure,method,status}: latency of every request,
 *   by tRPC procedure (each procedure of a batch is observed with the batch's duration);
 * - canopy_queue_jobs{queue,state}: queue depths read from Redis at scrape time, so any one
 *   API process shows them for all workers;
 * - canopy_queue_jobs_finished_total{queue,outcome}: completed and failed jobs as counted by
 *   BullMQ's own metrics in Redis (the workers record them), also shared by all processes.
 * The worker's detailed job, provisioning and webhook metrics are on its own port.
 */
export function registerMetrics(app: FastifyInstance, opts: { procedures: ReadonlySet<string>; queues?: QueueHandles }) {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: "canopy_api_" });

  const httpDuration = new Histogram({
    name: "canopy_http_request_duration_seconds",
    help: "HTTP request latency by tRPC procedure (or route), method and status",
    labelNames: ["procedure", "method", "status"] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [registry],
  });

  // The label set of a request is resolved once per distinct (method, status, path) and kept
  // with its histogram child: splitting, decoding and prom-client's label hashing on every
  // request cost about as much as a trivial procedure (bench #1). Only known procedure names
  // reach the cache's keys' labels, and the cache stops growing at MAX_CACHED paths.
  const MAX_CACHED = 2000;
  const observers = new Map<string, ((seconds: number) => void)[]>();
  const observersFor = (req: FastifyRequest, status: number): ((seconds: number) => void)[] | undefined => {
    const queryAt = req.url.indexOf("?");
    const path = queryAt < 0 ? req.url : req.url.slice(0, queryAt);
    if (path === "/metrics") return undefined;
    const key = `${req.method} ${status} ${path}`;
    let found = observers.get(key);
    if (found) return found;
    const labels = { method: req.method, status: String(status) };
    let procedures: string[];
    if (path.startsWith("/trpc/")) {
      // Only known names become labels: arbitrary paths must not grow the series without bound.
      let names: string[];
      try {
        names = decodeURIComponent(path.slice("/trpc/".length)).split(",");
      } catch {
        names = ["unknown"];
      }
      procedures = names.map((name) => (opts.procedures.has(name) ? name : "unknown"));
    } else {
      procedures = [req.routeOptions.url ?? "unmatched"];
    }
    found = procedures.map((procedure) => {
      const child = httpDuration.labels({ ...labels, procedure });
      return (seconds: number) => child.observe(seconds);
    });
    if (observers.size < MAX_CACHED) observers.set(key, found);
    return found;
  };
  app.addHook("onResponse", async (req, reply) => {
    const observe = observersFor(req, reply.statusCode);
    if (!observe) return;
    const seconds = reply.elapsedTime / 1000;
    for (const o of observe) o(seconds);
  });

  const { queues } = opts;
  if (queues) {
    const states = ["waiting", "active", "delayed", "prioritized", "waiting-children", "failed", "completed"] as const;
    new Gauge({
      name: "canopy_queue_jobs",
      help: "Jobs in each queue by state, read from Redis at scrape time",
      labelNames: ["queue", "state"] as const,
      registers: [registry],
      async collect() {
        this.reset();
        // With Redis away the series are left out for this scrape; /readyz says why.
        await Promise.all(
          [...queues.queues].map(async ([name, queue]) => {
            const counts = await queue.getJobCounts(...states);
            for (const state of states) this.set({ queue: name, state }, counts[state] ?? 0);
          }),
        ).catch(() => this.reset());
      },
    });
    new Counter({
      name: "canopy_queue_jobs_finished_total",
      help: "Jobs finished by each queue's workers, by outcome (BullMQ metrics kept in Redis)",
      labelNames: ["queue", "outcome"] as const,
      registers: [registry],
      async collect() {
        this.reset();
        await Promise.all(
          [...queues.queues].flatMap(([name, queue]) =>
            (["completed", "failed"] as const).map(async (outcome) => {
              const metrics = await queue.getMetrics(outcome, 0, 0);
              this.inc({ queue: name, outcome }, metrics.meta.count);
            }),
          ),
        ).catch(() => this.reset());
      },
    });
  }

  app.get("/metrics", async (_req, reply) => {
    const body = await registry.metrics();
    return reply.type(registry.contentType).send(body);
  });
  return registry;
}
