import { type ChildProcess, spawn } from "node:child_process";
import { createServer } from "node:net";
import { fileURLToPath } from "node:url";
import { type Api, publishedProduct, startApi } from "@canopy/api/testing";
import type { Db } from "@canopy/db";
import { sql } from "@canopy/db";
import { type ConnectorRegistry, createConnectorRegistry, createDemoConnector, type DemoConnectorOptions } from "@canopy/domain/commerce";
import { Redis } from "ioredis";
import pino from "pino";
import { afterAll, beforeAll, expect, vi } from "vitest";
import { type StartWorkerOptions, startWorker } from "../src/index";
import { REDIS_URL, uniquePrefix } from "./redis-keys";

export { REDIS_URL, uniquePrefix } from "./redis-keys";
export { type Api, publishedProduct, startApi };

export const quietLogger = pino({ level: process.env.TEST_LOG_LEVEL ?? "silent" });

/** Settings that let a test see retries and stalled-job recovery in seconds, not minutes. */
export const fastSettings = {
  attempts: 4,
  backoff: { baseMs: 50, maxMs: 400 },
  // Long enough that a busy machine never mistakes a running job for a stalled one.
  lockDurationMs: 15_000,
  stalledIntervalMs: 5000,
  relay: { safetyPollMs: 2000 },
} satisfies Partial<StartWorkerOptions>;

export function demoConnectors(db: Db, options: Omit<DemoConnectorOptions, "db"> = {}): ConnectorRegistry {
  return createConnectorRegistry({ demo: createDemoConnector({ db, ...options }) });
}

/** The real worker, in this process, on the test's database and its own BullMQ prefix. */
export async function startTestWorker(api: Api, options: Partial<StartWorkerOptions> = {}) {
  return startWorker({
    db: api.db,
    databaseUrl: api.databaseUrl,
    redisUrl: REDIS_URL,
    prefix: uniquePrefix(),
    logger: quietLogger,
    connectors: demoConnectors(api.db),
    ...fastSettings,
    ...options,
  });
}

/** A customer under the provider with its client, and a published demo product. */
export async function customerWithProduct(api: Api, product: Parameters<typeof publishedProduct>[1] = {}) {
  const customer = await api.account("customer");
  const prod = await publishedProduct(api, product);
  return { customer, product: prod };
}

export async function orderStatus(db: Db, orderId: string) {
  const row = await db.selectFrom("orders").select(["status", "error_message"]).where("id", "=", orderId).executeTakeFirstOrThrow();
  return row;
}

export async function waitForOrder(db: Db, orderId: string, statuses: string[] = ["completed", "error"], timeout = 20_000) {
  return vi.waitFor(
    async () => {
      const row = await orderStatus(db, orderId);
      if (!statuses.includes(row.status)) throw new Error(`order ${orderId} is ${row.status}`);
      return row;
    },
    { timeout, interval: 25 },
  );
}

export async function eventTypesOf(db: Db, subjectIds: string[]) {
  const rows = await db
    .selectFrom("events")
    .select(["type", sql<string>`data->>'id'`.as("subject")])
    .where(sql<string>`data->>'id'`, "in", subjectIds)
    .orderBy("seq")
    .execute();
  return rows.map((r) => r.type);
}

export async function isvCalls(db: Db, operation?: string) {
  let q = db.selectFrom("demo_isv_calls").selectAll().orderBy("first_called_at");
  if (operation) q = q.where("operation", "=", operation);
  return q.execute();
}

/** A free TCP port on 127.0.0.1. */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

const workerMain = fileURLToPath(new URL("../src/main.ts", import.meta.url));

export interface ChildWorker {
  process: ChildProcess;
  ready: Promise<void>;
  exited: Promise<number | null>;
  output: () => string;
}

/** The worker as its own OS process (`node --import tsx src/main.ts`), so it can be SIGKILLed. */
export function spawnWorker(env: Record<string, string>): ChildWorker {
  let output = "";
  const child = spawn(process.execPath, ["--import", "tsx", workerMain], {
    env: { ...process.env, LOG_LEVEL: "warn", ...env },
    stdio: ["ignore", "pipe", "pipe", "ipc"],
  });
  child.stdout!.on("data", (d) => (output += d));
  child.stderr!.on("data", (d) => (output += d));
  const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
  const ready = new Promise<void>((resolve, reject) => {
    child.on("message", (m) => (m as { ready?: boolean }).ready && resolve());
    void exited.then((code) => reject(new Error(`worker exited with ${code} before it was ready:\n${output}`)));
  });
  return { process: child, ready, exited, output: () => output };
}

/**
 * For a test file whose workers run as processes of their own: an API over a fresh database
 * before the tests, and afterwards every spawned worker killed and waited for before the API
 * and its database go. Push what `spawnWorker` returns into `children`.
 */
export function useApiWithChildWorkers(options: Parameters<typeof startApi>[0] = {}) {
  const context = { api: undefined as unknown as Api, children: [] as ChildWorker[] };
  beforeAll(async () => {
    context.api = await startApi(options);
  });
  afterAll(async () => {
    for (const child of context.children) if (child.process.exitCode === null) child.process.kill("SIGKILL");
    await Promise.all(context.children.map((c) => c.exited));
    await context.api?.close();
  });
  return context;
}

/** Runs `fn` over `items` with at most `limit` in flight. */
export async function inPool<T, R>(items: T[], limit: number, fn: (item: T, index: number) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(limit, items.length) }, async () => {
      while (next < items.length) {
        const i = next++;
        results[i] = await fn(items[i]!, i);
      }
    }),
  );
  return results;
}

/** Places `count` orders for fresh customers of one demo product; every fifth has two items. */
export async function placeMany(api: Api, count: number, concurrency = 12) {
  const product = await publishedProduct(api);
  const customers = await Promise.all(Array.from({ length: 10 }, () => api.account("customer")));
  return inPool(
    Array.from({ length: count }, (_, i) => i),
    concurrency,
    async (i) => {
      const items =
        i % 5 === 0
          ? [
              { mpn: product.mpn, quantity: 1 },
              { mpn: product.mpn, quantity: 2 },
            ]
          : [{ mpn: product.mpn, quantity: 1 }];
      return customers[i % customers.length]!.client.orders.place.mutate({ items });
    },
  );
}

export async function countOrders(db: Db, ids: string[], statuses: string[]) {
  const row = await db
    .selectFrom("orders")
    .select((eb) => eb.fn.countAll<number>().as("n"))
    .where("id", "in", ids)
    .where("status", "in", statuses as never[])
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/**
 * What "provisioned exactly once" means, checked from the ISV's own durable records: one
 * effective provisioning per order item, under its id, none under any other key, and the
 * subscription carrying the service reference of that one provisioning.
 */
export async function provisioningLedger(db: Db, orderIds: string[]) {
  const items = await db
    .selectFrom("order_items as i")
    .innerJoin("subscriptions as s", "s.id", "i.subscription_id")
    .leftJoin("demo_isv_calls as c", (join) => join.onRef("c.idempotency_key", "=", "i.id").on("c.operation", "=", "provision"))
    .select(["i.id", "s.status", "s.service_ref", "c.service_ref as isv_service_ref", "c.calls"])
    .where("i.order_id", "in", orderIds)
    .execute();
  const provisions = await db
    .selectFrom("demo_isv_calls")
    .select((eb) => eb.fn.countAll<number>().as("n"))
    .where("operation", "=", "provision")
    .executeTakeFirstOrThrow();
  const activations = await db
    .selectFrom("events")
    .select((eb) => eb.fn.countAll<number>().as("n"))
    .where("type", "=", "subscription.activated")
    .executeTakeFirstOrThrow();
  return {
    items: items.length,
    provisionedOnce: items.filter((i) => i.isv_service_ref !== null && i.status === "active" && i.service_ref === i.isv_service_ref).length,
    effectiveProvisions: Number(provisions.n),
    activationEvents: Number(activations.n),
    callsReceived: items.reduce((sum, i) => sum + (i.calls ?? 0), 0),
  };
}

/** Environment for a worker child process on the test's database and queue prefix. */
export function workerEnv(api: Api, prefix: string, extra: Record<string, string> = {}): Record<string, string> {
  return {
    DATABASE_URL: api.databaseUrl,
    REDIS_URL,
    WORKER_QUEUE_PREFIX: prefix,
    WORKER_LOCK_DURATION_MS: "3000",
    WORKER_STALLED_INTERVAL_MS: "1000",
    WORKER_BACKOFF_BASE_MS: "50",
    WORKER_BACKOFF_MAX_MS: "500",
    RELAY_SAFETY_POLL_MS: "2000",
    DEMO_LATENCY_MS: "0",
    WORKER_METRICS_PORT: "0", // several workers on one machine: no fixed metrics port
    ...extra,
  };
}

export interface PrivateRedis {
  url: string;
  readonly running: boolean;
  start(): Promise<void>;
  /** SIGKILL: like a crash; with no persistence, everything it held is gone. */
  stop(): Promise<void>;
}

/**
 * A redis-server of the test's own on a free port (never the shared one), without persistence,
 * that the test can stop and start again on the same port.
 */
export async function startPrivateRedis(): Promise<PrivateRedis> {
  const port = await freePort();
  let child: ChildProcess | undefined;
  const redis: PrivateRedis = {
    url: `redis://127.0.0.1:${port}`,
    get running() {
      return child !== undefined;
    },
    async start() {
      child = spawn("redis-server", ["--port", String(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"], {
        stdio: "ignore",
      });
      const probe = new Redis({ port, host: "127.0.0.1", lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
      probe.on("error", () => {});
      try {
        await vi.waitFor(async () => expect(await probe.connect().then(() => probe.ping())).toBe("PONG"), {
          timeout: 10_000,
          interval: 50,
        });
      } finally {
        probe.disconnect();
      }
    },
    async stop() {
      const running = child;
      child = undefined;
      if (!running || running.exitCode !== null) return;
      const exited = new Promise((resolve) => running.once("exit", resolve));
      running.kill("SIGKILL");
      await exited;
    },
  };
  await redis.start();
  return redis;
}
