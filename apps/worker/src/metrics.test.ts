import type { Connector } from "@canopy/domain/commerce";
import { Queue, Worker } from "bullmq";
import { Redis } from "ioredis";
import pino from "pino";
import { afterAll, describe, expect, it, vi } from "vitest";
import { REDIS_URL, uniquePrefix } from "../test/redis-keys";
import { createWorkerMetrics } from "./metrics";

const prefix = uniquePrefix();
const connection = new Redis(REDIS_URL, { maxRetriesPerRequest: null });
const closers: (() => Promise<unknown>)[] = [];
afterAll(async () => {
  for (const close of closers.reverse()) await close();
  connection.disconnect();
});

describe("worker metrics", () => {
  it("counts jobs by queue and outcome and serves them over HTTP", async () => {
    const metrics = createWorkerMetrics();
    const queue = new Queue("webhook-delivery", { connection, prefix });
    let calls = 0;
    const worker = new Worker(
      "webhook-delivery",
      async () => {
        calls += 1;
        if (calls === 1) throw new Error("endpoint unreachable");
        return { kind: "succeeded" };
      },
      { connection, prefix },
    );
    closers.push(
      () => queue.obliterate({ force: true }),
      () => queue.close(),
      () => worker.close(),
    );
    metrics.observeWorker(worker);
    await queue.add("attempt", {}, { attempts: 2 });
    await vi.waitFor(async () => expect(await queue.getCompletedCount()).toBe(1), { timeout: 10_000 });

    const server = await metrics.serve(0, "127.0.0.1");
    closers.push(() => new Promise((resolve) => server.close(resolve)));
    const address = server.address() as { port: number };
    const text = await (await fetch(`http://127.0.0.1:${address.port}/metrics`)).text();
    expect(text).toContain('canopy_worker_jobs_total{queue="webhook-delivery",outcome="retrying"} 1');
    expect(text).toContain('canopy_worker_jobs_total{queue="webhook-delivery",outcome="completed"} 1');
    expect(text).toContain('canopy_webhook_delivery_attempts_total{outcome="error"} 1');
    expect(text).toContain('canopy_webhook_delivery_attempts_total{outcome="succeeded"} 1');
    expect(text).toMatch(/canopy_worker_job_duration_seconds_count\{queue="webhook-delivery",outcome="completed"\} 1/);
  });

  it("logs a completed job at info, and a job scheduler's routine run at debug", async () => {
    const lines: { level: number; msg: string; jobId?: string }[] = [];
    const log = pino({ level: "debug" }, { write: (line: string) => lines.push(JSON.parse(line)) });
    const queue = new Queue("billing-clock", { connection, prefix });
    const worker = new Worker("billing-clock", async () => "done", { connection, prefix });
    closers.push(
      () => queue.obliterate({ force: true }),
      () => queue.close(),
      () => worker.close(),
    );
    createWorkerMetrics().observeWorker(worker, log);
    await queue.upsertJobScheduler("every-hour", { every: 3_600_000 }, { name: "tick" });
    const once = await queue.add("once", {});
    await vi.waitFor(async () => expect(await queue.getCompletedCount()).toBe(2), { timeout: 10_000 });
    await vi.waitFor(() => expect(lines.filter((l) => l.msg === "job completed")).toHaveLength(2));
    const completed = lines.filter((l) => l.msg === "job completed");
    expect(completed.find((l) => l.jobId === once.id)?.level).toBe(pino.levels.values.info);
    expect(completed.find((l) => l.jobId !== once.id)?.level).toBe(pino.levels.values.debug);
  });

  it("counts first attempts made in process with the queued ones, and reports what waits in the lanes", async () => {
    const metrics = createWorkerMetrics();
    metrics.countFirstAttempt("succeeded");
    metrics.countFirstAttempt("succeeded");
    metrics.countFirstAttempt("retry");
    let depth = { waiting: 7, sending: 3 };
    metrics.watchFirstAttempts(() => depth);
    let text = await metrics.registry.metrics();
    expect(text).toContain('canopy_webhook_delivery_attempts_total{outcome="succeeded"} 2');
    expect(text).toContain('canopy_webhook_delivery_attempts_total{outcome="retry"} 1');
    expect(text).toContain('canopy_webhook_first_attempts{state="waiting"} 7');
    expect(text).toContain('canopy_webhook_first_attempts{state="sending"} 3');
    depth = { waiting: 0, sending: 1 };
    text = await metrics.registry.metrics();
    expect(text).toContain('canopy_webhook_first_attempts{state="waiting"} 0');
  });

  it("times each connector call by connector, operation and outcome", async () => {
    const metrics = createWorkerMetrics();
    const isv: Connector = {
      name: "demo",
      provision: async () => ({ outcome: "ok", serviceRef: "svc_1" }),
      changeQuantity: async () => ({ outcome: "transient", message: "busy" }),
      suspend: async () => ({ outcome: "permanent", message: "no" }),
      resume: async () => {
        throw new Error("bug");
      },
      terminate: async () => ({ outcome: "ok", serviceRef: "svc_1" }),
    };
    const connectors = metrics.instrumentConnectors({ forProduct: () => ({ connector: isv }) });
    const found = connectors.forProduct({ id: "p", mpn: "m", connector: "demo", connector_config: null } as never);
    if (!("connector" in found)) throw new Error("no connector");
    const request = { idempotencyKey: "k", subscriptionId: "s", accountId: "a", mpn: "m", quantity: 1 };
    expect(await found.connector.provision(request)).toEqual({ outcome: "ok", serviceRef: "svc_1" });
    await found.connector.changeQuantity(request);
    await expect(found.connector.resume(request)).rejects.toThrow("bug");

    const text = await metrics.registry.metrics();
    expect(text).toContain('canopy_provisioning_duration_seconds_count{connector="demo",operation="provision",outcome="ok"} 1');
    expect(text).toContain('canopy_provisioning_duration_seconds_count{connector="demo",operation="changeQuantity",outcome="transient"} 1');
    expect(text).toContain('canopy_provisioning_duration_seconds_count{connector="demo",operation="resume",outcome="error"} 1');
  });
});
