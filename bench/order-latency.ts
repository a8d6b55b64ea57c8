// Time from `orders.place` returning to the order being `completed`, with the demo connector
// at zero latency: API process → Postgres (order + order.created, committed) → NOTIFY →
// worker's outbox relay → BullMQ → provisioning processor → completed. The API and the worker
// run as they ship (their own processes); this script is the client.
//
//   npx tsx bench/order-latency.ts [orders=300] [inFlight=1]
//
// Orders are placed `inFlight` at a time (1 = an idle system, each order alone). Completion is
// observed by LISTENing to the same event notifications the relay uses, then reading the order.
import { createCanopyClient } from "@canopy/sdk";
import pg from "pg";
import { startApiProcess } from "./lib/api";
import { summarize } from "./lib/order-latency-stats";
import { scratchDatabase } from "./lib/scratch-db";
import { startWorkerProcess } from "./lib/worker";

const ORDERS = Number(process.argv[2] ?? 300);
const IN_FLIGHT = Number(process.argv[3] ?? 1);
const REDIS_URL = process.env.REDIS_URL ?? "redis://127.0.0.1:6379";

const { db: setupDb, url: databaseUrl } = await scratchDatabase("canopy_bench_order_latency", { fresh: true });
await setupDb.destroy();
const api = await startApiProcess({ databaseUrl });
const worker = startWorkerProcess({ databaseUrl, redisUrl: REDIS_URL });

// Completion watcher: one LISTEN connection, one cheap primary-key read per notification.
const watcher = new pg.Client({ connectionString: databaseUrl });
await watcher.connect();
const waiting = new Map<string, () => void>();
async function check() {
  if (waiting.size === 0) return;
  const { rows } = await watcher.query<{ id: string }>("select id from orders where id = any($1) and status in ('completed','error')", [
    [...waiting.keys()],
  ]);
  for (const { id } of rows) {
    waiting.get(id)?.();
    waiting.delete(id);
  }
}
let checking = Promise.resolve();
watcher.on("notification", () => {
  checking = checking.then(check);
});
await watcher.query("LISTEN canopy_events");
const completed = (id: string) =>
  new Promise<void>((resolve) => {
    waiting.set(id, resolve);
    checking = checking.then(check); // it may have completed before we started waiting
  });

const provider = createCanopyClient({ url: api.url, apiKey: api.apiKey });
const customer = await provider.accounts.create.mutate({
  type: "customer",
  name: "Bench customer",
  contact: { email: "bench@example.com" },
  address: { country: "DE" },
});
const { secret } = await provider.apiKeys.create.mutate({ name: "bench", accountId: customer.id });
const client = createCanopyClient({ url: api.url, apiKey: secret });
const product = await provider.products.create.mutate({
  mpn: "BENCH-LATENCY",
  name: "Latency bench",
  isvName: "Demo ISV",
  connector: "demo",
  unit: "license",
  billingPeriod: "month",
  minQuantity: 1,
  maxQuantity: 100,
  msrp: { amount: 100, currency: "USD" },
});
await provider.products.publish.mutate({ id: product.id });

async function measureOne(): Promise<number> {
  const order = await client.orders.place.mutate({ items: [{ mpn: product.mpn, quantity: 1 }] });
  const placedAt = performance.now();
  await completed(order.id);
  return performance.now() - placedAt;
}

// Warm-up (JIT, connection pools, the worker's first jobs); also proves the worker is up.
for (let i = 0; i < 20; i++) await measureOne();

const latencies: number[] = [];
let next = 0;
await Promise.all(
  Array.from({ length: IN_FLIGHT }, async () => {
    while (next++ < ORDERS) latencies.push(await measureOne());
  }),
);
console.log(summarize(latencies, { orders: ORDERS, inFlight: IN_FLIGHT }));

await watcher.end();
await worker.stop();
await api.stop();
