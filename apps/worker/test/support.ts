import { type ChildProcess, spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { createServer } from "node:net";
import { fileURLToPath } from "node:url";
import type { Db } from "@canopy/db";
import { sql } from "@canopy/db";
import { type ConnectorRegistry, createConnectorRegistry, createDemoConnector, type DemoConnectorOptions } from "@canopy/domain";
import pino from "pino";
import { vi } from "vitest";
import { type Api, startApi } from "../../api/test/harness";
import { publishedProduct } from "../../api/test/commerce-fixtures";
import { type StartWorkerOptions, startWorker } from "../src/index";

export { startApi, publishedProduct, type Api };

export const REDIS_URL = process.env.REDIS_URL ?? "redis://127.0.0.1:6379";
export const uniquePrefix = () => `canopy-test-${randomBytes(6).toString("hex")}`;
export const quietLogger = pino({ level: process.env.TEST_LOG_LEVEL ?? "silent" });

/** Settings that let a test see retries and stalled-job recovery in seconds, not minutes. */
export const fastSettings = {
  attempts: 4,
  backoff: { baseMs: 50, maxMs: 400 },
  lockDurationMs: 4000,
  stalledIntervalMs: 1000,
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
