import { type ChildProcess, spawn } from "node:child_process";
import { countUnrelayed } from "@canopy/domain";
import { Redis } from "ioredis";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { type Api, countOrders, freePort, placeMany, startApi, startTestWorker } from "./support";

// A private redis-server for this file only, so that stopping it touches nobody else.
let port: number;
let redis: ChildProcess | undefined;

async function startRedis() {
  const child = spawn("redis-server", ["--port", String(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"], { stdio: "ignore" });
  redis = child;
  const probe = new Redis({ port, host: "127.0.0.1", lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
  probe.on("error", () => {});
  try {
    await vi.waitFor(async () => expect(await probe.connect().then(() => probe.ping())).toBe("PONG"), { timeout: 10_000, interval: 50 });
  } finally {
    probe.disconnect();
  }
}

async function stopRedis() {
  const child = redis!;
  redis = undefined;
  const exited = new Promise((resolve) => child.once("exit", resolve));
  child.kill("SIGKILL");
  await exited;
}

let api: Api;
let worker: Awaited<ReturnType<typeof startTestWorker>>;

beforeAll(async () => {
  port = await freePort();
  await startRedis();
  api = await startApi();
  worker = await startTestWorker(api, { redisUrl: `redis://127.0.0.1:${port}` });
});
afterAll(async () => {
  if (!redis) await startRedis(); // let the worker disconnect cleanly
  await worker?.close();
  await api?.close();
  if (redis) await stopRedis();
});

describe("Redis outage", () => {
  it("orders are accepted while Redis is down and carried out once it is back, none lost", { timeout: 120_000 }, async () => {
    const before = await placeMany(api, 5);
    await vi.waitFor(async () => expect(await countOrders(api.db, before.map((o) => o.id), ["completed"])).toBe(5), { timeout: 20_000 });

    await stopRedis();
    const during = await placeMany(api, 40);
    expect(during.every((o) => o.status === "submitted")).toBe(true);
    // the events wait in the outbox, in Postgres
    expect(await countUnrelayed(api.db)).toBeGreaterThanOrEqual(40);
    expect(await countOrders(api.db, during.map((o) => o.id), ["submitted"])).toBe(40);

    await startRedis(); // empty: whatever Redis held before is gone
    const ids = during.map((o) => o.id);
    await vi.waitFor(async () => expect(await countOrders(api.db, ids, ["completed"])).toBe(40), { timeout: 60_000, interval: 100 });
    expect(await countUnrelayed(api.db)).toBe(0);
  });
});
