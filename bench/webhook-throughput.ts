// Webhook deliveries per second to a local receiver that answers 204 at once, end to end:
// committed events → outbox relay → fan-out → signed delivery → logged attempt, by the real
// worker in this process against a scratch database and a Redis prefix of its own.
//
//   npx tsx bench/webhook-throughput.ts [events=2000] [endpoints=8]
//
// Each endpoint takes every event, so deliveries = events × endpoints. All endpoints point at
// the one receiver; the per-endpoint concurrency limit (4 by default) caps a single endpoint.
import { randomBytes } from "node:crypto";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { createDb, sql } from "@canopy/db";
import { type Actor, bootstrapPlatform, insertEvents, webhookEndpoints, webhookSettings } from "@canopy/domain";
import { startWorker } from "@canopy/worker";
import pino from "pino";
import { scratchDatabase } from "./lib/scratch-db";

const EVENTS = Number(process.argv[2] ?? 2000);
const ENDPOINTS = Number(process.argv[3] ?? 8);
const REDIS_URL = process.env.REDIS_URL ?? "redis://127.0.0.1:6379";

let received = 0;
const receiver = createServer((req, res) => {
  req.resume();
  req.on("end", () => {
    received++;
    res.writeHead(204).end();
  });
});
receiver.keepAliveTimeout = 60_000;
await new Promise<void>((resolve) => receiver.listen(0, "127.0.0.1", resolve));
const url = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hooks`;

const { db: setupDb, url: databaseUrl } = await scratchDatabase("canopy_bench_webhooks", { fresh: true });
await setupDb.destroy();
const db = createDb({ connectionString: databaseUrl, max: 20, applicationName: "canopy-bench-webhooks" });
const { providerId } = await bootstrapPlatform(db, {});
const provider = await db.selectFrom("accounts").selectAll().where("id", "=", providerId).executeTakeFirstOrThrow();
const actor: Actor = { kind: "apiKey", id: "key_bench", accountId: provider.id, accountPath: provider.path, accountType: "provider", role: "admin" };
const settings = webhookSettings({ allowPrivateUrls: true });
for (let i = 0; i < ENDPOINTS; i++) await webhookEndpoints.createEndpoint(db, actor, settings, { url: `${url}?e=${i}`, eventTypes: [] });

const worker = await startWorker({
  db,
  databaseUrl,
  redisUrl: REDIS_URL,
  prefix: `canopy-bench-${randomBytes(4).toString("hex")}`,
  logger: pino({ level: "warn" }),
  webhooks: { settings, ...(process.env.BENCH_SWEEP_MS && { sweepIntervalMs: Number(process.env.BENCH_SWEEP_MS) }), ...(process.env.BENCH_ENDPOINT_CONCURRENCY && { endpointConcurrency: Number(process.env.BENCH_ENDPOINT_CONCURRENCY) }) },
});

const expected = EVENTS * ENDPOINTS;
const started = performance.now();
for (let i = 0; i < EVENTS; i += 500) {
  const batch = Array.from({ length: Math.min(500, EVENTS - i) }, (_, j) => ({
    type: "account.updated" as const,
    account: { id: provider.id, path: provider.path },
    data: { id: provider.id, name: `Provider ${i + j}` },
  }));
  await insertEvents(db, batch);
}
let succeeded = 0;
while (succeeded < expected) {
  await new Promise((r) => setTimeout(r, 100));
  const row = await sql<{ n: string; all: string }>`select count(*) filter (where status = 'succeeded') as n, count(*) as all from webhook_deliveries`.execute(db);
  succeeded = Number(row.rows[0]?.n ?? 0);
  if (process.env.BENCH_TRACE) console.log(((performance.now() - started) / 1000).toFixed(1), row.rows[0]);
  if (performance.now() - started > 300_000) throw new Error(`only ${succeeded} of ${expected} deliveries after 5 minutes`);
}
const seconds = (performance.now() - started) / 1000;
console.log(
  `${expected} deliveries (${EVENTS} events × ${ENDPOINTS} endpoints) in ${seconds.toFixed(1)} s: ` +
    `${Math.round(expected / seconds)} deliveries/s; receiver saw ${received} requests`,
);

await worker.close();
await db.destroy();
receiver.close();
