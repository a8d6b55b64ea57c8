import { randomBytes } from "node:crypto";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { type Api, codeOf, publishedProduct, type Serve, startApi } from "@canopy/api/testing";
import { type ConnectorRegistry, createConnectorRegistry, createDemoConnector } from "@canopy/domain/commerce";
import { startWorker } from "@canopy/worker";
import { createWorkerMetrics } from "@canopy/worker/metrics";
import pino from "pino";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { openQueues, type QueueHandles } from "../src/queues";
import { buildServer } from "../src/server";
import { TEST_PREFIX } from "./redis-cleanup";

// The three failures of issue 13, end to end: API host with its dashboard, the real worker, a
// real ISV over HTTP. Each order must end as a failed job with its reason (dashboard, metrics),
// and complete after `orders.retry` (or the dashboard's Retry) once its cause is gone.
const REDIS_URL = process.env.REDIS_URL ?? "redis://127.0.0.1:6379";
const prefix = `${TEST_PREFIX}${randomBytes(6).toString("hex")}`;
const SECRET = "isv-signing-secret-0123456789";

let api: Api;
let queues: QueueHandles;
let worker: Awaited<ReturnType<typeof startWorker>>;
let isv: Server;
let isvUrl: string;
const metrics = createWorkerMetrics();

// What the operator can change while the platform runs: the ISV's health, the worker's secrets
// and connectors. The registry is rebuilt from them on every lookup.
const world = { isvDown: true, secrets: {} as Record<string, string>, legacyKnown: false };
let isvCalls = 0;

const serveWithDashboard: Serve = async ({ db, webhooks, connectors }) => {
  queues = openQueues({ url: REDIS_URL, prefix });
  const app = await buildServer({ db, webhooks, queues, connectors });
  await app.listen({ port: 0, host: "127.0.0.1" });
  return { url: `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`, close: () => app.close() };
};

beforeAll(async () => {
  isv = createServer((req, res) => {
    isvCalls++;
    req.resume();
    if (world.isvDown) return res.writeHead(503, { "content-type": "text/plain" }).end("maintenance until 22:00");
    res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify({ serviceRef: `svc-${isvCalls}` }));
  });
  await new Promise<void>((resolve) => isv.listen(0, "127.0.0.1", resolve));
  isvUrl = `http://127.0.0.1:${(isv.address() as AddressInfo).port}/provision`;

  api = await startApi({ serve: serveWithDashboard, connectors: { connectors: ["demo", "http", "acme-legacy"], httpSecretRefs: "any" } });
  const demo = createDemoConnector({ db: api.db });
  const connectors: ConnectorRegistry = {
    forProduct: (product) =>
      createConnectorRegistry({ demo, httpSecrets: world.secrets, httpTimeoutMs: 2000 }).forProduct(
        world.legacyKnown && product.connector === "acme-legacy" ? { ...product, connector: "demo" } : product,
      ),
  };
  worker = await startWorker({
    db: api.db,
    databaseUrl: api.databaseUrl,
    redisUrl: REDIS_URL,
    prefix,
    connectors,
    attempts: 3,
    backoff: { baseMs: 20, maxMs: 100 },
    logger: pino({ level: "silent" }),
    onOrderSettled: metrics.countOrder,
  });
  for (const w of worker.workers) metrics.observeWorker(w);
});

afterAll(async () => {
  await worker?.close();
  await api?.close();
  await Promise.all([...(queues?.queues.values() ?? [])].map((q) => q.obliterate({ force: true })));
  await queues?.close();
  await new Promise((resolve) => isv?.close(resolve));
});

const orderOf = (id: string) => api.provider.orders.get.query({ id });
async function settled(id: string, status: string) {
  return vi.waitFor(
    async () => {
      const order = await orderOf(id);
      if (order.status !== status) throw new Error(`order ${id} is ${order.status}`);
      return order;
    },
    { timeout: 20_000, interval: 50 },
  );
}

const dashboard = (path: string, init: RequestInit = {}) =>
  fetch(`${api.url}/admin/queues${path}`, { ...init, headers: { authorization: `Bearer ${api.providerKey}` } });

async function failedJobs(): Promise<{ count: number; reasons: string[] }> {
  const body = (await (await dashboard("/api/queues?activeQueue=order-provisioning&status=failed&page=1")).json()) as {
    queues: { name: string; counts: { failed: number }; jobs: { failedReason?: string }[] }[];
  };
  const queue = body.queues.find((q) => q.name === "order-provisioning")!;
  return { count: queue.counts.failed, reasons: queue.jobs.map((j) => j.failedReason ?? "") };
}

async function metric(name: string, labels: string): Promise<number> {
  const line = (await metrics.registry.metrics()).split("\n").find((l) => l.startsWith(`${name}{${labels}}`));
  return line ? Number(line.split(" ").pop()) : 0;
}

describe("failed orders are visible, counted and retryable", () => {
  let reseller: Awaited<ReturnType<Api["account"]>>;
  let customer: Awaited<ReturnType<Api["account"]>>;
  const placed: Record<string, string> = {};

  beforeAll(async () => {
    reseller = await api.account("reseller");
    customer = await api.account("customer", { vendorId: reseller.account.id });
  });

  it("an unknown connector, a missing signing secret and an ISV down past every attempt each fail their job with the reason", async () => {
    const legacy = await publishedProduct(api, { connector: "acme-legacy" });
    const unsigned = await publishedProduct(api, { connector: "http", connectorConfig: { url: isvUrl, secretRef: "acme" } });
    const down = await publishedProduct(api, { connector: "http", connectorConfig: { url: isvUrl, secretRef: "isv-down" } });
    world.secrets = { "isv-down": SECRET };
    for (const [name, product] of Object.entries({ legacy, unsigned, down })) {
      placed[name] = (await customer.client.orders.place.mutate({ items: [{ mpn: product.mpn, quantity: 1 }] })).id;
    }
    const legacyOrder = await settled(placed.legacy!, "error");
    const unsignedOrder = await settled(placed.unsigned!, "error");
    const downOrder = await settled(placed.down!, "error");
    expect(legacyOrder.errorMessage).toMatch(/unknown connector "acme-legacy"/);
    expect(unsignedOrder.errorMessage).toMatch(/no signing secret configured .*secretRef "acme"/);
    // what the ISV said, and that the worker gave up
    expect(downOrder.errorMessage).toBe("ISV answered 503 to provision: maintenance until 22:00 (gave up after 3 attempts)");

    await vi.waitFor(async () => expect((await failedJobs()).count).toBe(3), { timeout: 10_000 });
    const { reasons } = await failedJobs();
    expect(reasons.sort()).toEqual([legacyOrder.errorMessage, unsignedOrder.errorMessage, downOrder.errorMessage].sort());
    expect(await metric("canopy_orders_total", 'type="sales",outcome="error"')).toBe(3);
    expect(await metric("canopy_worker_jobs_total", 'queue="order-provisioning",outcome="failed"')).toBe(3);
  });

  it("orders.retry is for the vendor side and for error orders only", async () => {
    expect(await codeOf(customer.client.orders.retry.mutate({ id: placed.legacy! }))).toBe("FORBIDDEN");
    const other = await api.account("reseller");
    expect(await codeOf(other.client.orders.retry.mutate({ id: placed.legacy! }))).toBe("NOT_FOUND");
    const fine = await publishedProduct(api);
    const done = await customer.client.orders.place.mutate({ items: [{ mpn: fine.mpn, quantity: 1 }] });
    await settled(done.id, "completed");
    expect(await codeOf(reseller.client.orders.retry.mutate({ id: done.id }))).toBe("PRECONDITION_FAILED");
  });

  it("completes each order once its cause is gone: two by orders.retry, one by the dashboard's Retry", async () => {
    world.legacyKnown = true;
    world.secrets = { "isv-down": SECRET, acme: SECRET };
    world.isvDown = false;

    const retried = await reseller.client.orders.retry.mutate({ id: placed.legacy! });
    expect(retried).toMatchObject({ status: "submitted", errorMessage: null });
    await api.provider.orders.retry.mutate({ id: placed.unsigned! });

    // the dashboard's Retry on the failed job of the third order is orders.retry too
    const failed = await queues.queues.get("order-provisioning")!.getJobs(["failed"]);
    const job = failed.find((j) => j.data.subjectId === placed.down)!;
    expect((await dashboard(`/api/queues/order-provisioning/${job.id}/retry`, { method: "PUT" })).status).toBe(204);

    for (const id of Object.values(placed)) {
      const order = await settled(id, "completed");
      const subscription = await customer.client.subscriptions.get.query({ id: order.items[0]!.subscriptionId! });
      expect(subscription.status).toBe("active");
    }
    const events = await api.provider.events.list.query({ type: "order.retried", accountId: customer.account.id });
    expect(events.items.map((e) => (e.data as { id: string }).id).sort()).toEqual(Object.values(placed).sort());
    expect(await metric("canopy_orders_total", 'type="sales",outcome="completed"')).toBe(4);
    // the dashboard's job is gone from the Failed tab; the two retried by the API stay as history
    expect((await failedJobs()).count).toBe(2);
  });
});
