// Scale-out on one machine: orders/s with two API processes against one, and webhook
// deliveries/s with two worker processes against one, all on the same PostgreSQL and Redis.
// On a 2-core machine everything (Postgres, Redis, the processes, the load generators) shares
// the same cores, so this measures what a second process costs or gains there, not how a
// cluster scales. Usage: npx tsx bench/scale-out.ts [--seconds 5] [--events 600] [--runs 2]
import { loadavg } from "node:os";
import { parseArgs } from "node:util";
import { type ApiProcess, startApiProcess } from "./lib/api";
import { setUpCommerce } from "./lib/commerce";
import { type AppProcess, runTs } from "./lib/processes";
import { scratchDatabase } from "./lib/scratch-db";
import { median } from "./lib/stats";
import { startWebhookFanout } from "./lib/webhook-fanout";
import { startWorkerProcess } from "./lib/worker";

const { values: args } = parseArgs({ options: { seconds: { type: "string" }, events: { type: "string" }, runs: { type: "string" } } });
const seconds = Number(args.seconds ?? 5);
const events = Number(args.events ?? 600);
const runs = Number(args.runs ?? 2);
const redisUrl = process.env.REDIS_URL ?? "redis://127.0.0.1:6379";
const LOOPS = 32;
const ENDPOINTS = 8;
const log = (m: string) => process.stderr.write(`${m}\n`);
const load = () =>
  loadavg()
    .map((n) => n.toFixed(1))
    .join(" ");

async function stop(apps: AppProcess[]) {
  await Promise.all(apps.map((a) => a.stop()));
}

/** Orders/s from two load processes of 16 loops each, spread over `apis` (the worker is not running). */
async function ordersPerSecond(apis: ApiProcess[], keys: string[], mpn: string): Promise<number> {
  const halves = [keys.slice(0, LOOPS / 2), keys.slice(LOOPS / 2)];
  const outs = await Promise.all(
    halves.map((part, i) =>
      runTs("bench/load/place-orders.ts", [JSON.stringify({ url: apis[i % apis.length]!.url, keys: part, mpn, seconds })]),
    ),
  );
  return outs.map((o) => JSON.parse(o) as { orders: number; seconds: number }).reduce((sum, r) => sum + r.orders / r.seconds, 0);
}

async function orders() {
  const { url: databaseUrl } = await scratchDatabase("canopy_bench_scale_orders", { fresh: true });
  const first = await startApiProcess({ databaseUrl, redisUrl });
  const second = await startApiProcess({ databaseUrl, redisUrl, env: { CANOPY_BOOTSTRAP_API_KEY: first.apiKey } });
  try {
    const { mpn, customers } = await setUpCommerce(first.url, first.apiKey, LOOPS);
    const keys = customers.map((c) => c.secret);
    await ordersPerSecond([first], keys, mpn); // warm-up of both
    await ordersPerSecond([first, second], keys, mpn);
    const one: number[] = [];
    const two: number[] = [];
    for (let i = 0; i < runs; i++) {
      one.push(await ordersPerSecond([first], keys, mpn));
      two.push(await ordersPerSecond([first, second], keys, mpn));
      log(`  orders run ${i + 1}: one API ${one.at(-1)!.toFixed(0)}/s, two APIs ${two.at(-1)!.toFixed(0)}/s (load ${load()})`);
    }
    return { one: median(one), two: median(two) };
  } finally {
    await stop([first, second]);
  }
}

async function deliveries(workers: number) {
  const { db, url: databaseUrl } = await scratchDatabase("canopy_bench_scale_webhooks", { fresh: true });
  const fanout = await startWebhookFanout(db, ENDPOINTS);
  const first = startWorkerProcess({ databaseUrl, redisUrl });
  const apps: AppProcess[] = [first];
  for (let i = 1; i < workers; i++) apps.push(startWorkerProcess({ databaseUrl, redisUrl, env: { WORKER_QUEUE_PREFIX: first.prefix } }));
  const measure = (n: number) => fanout.deliveriesPerSecond(n);
  try {
    await measure(50);
    const out: number[] = [];
    for (let i = 0; i < runs; i++) {
      out.push(await measure(events));
      log(`  deliveries run ${i + 1}, ${workers} worker(s): ${out.at(-1)!.toFixed(0)}/s (load ${load()})`);
    }
    return median(out);
  } finally {
    // The first worker's queue prefix is shared: it goes (and its keys with it) once the others have.
    await stop(apps.slice(1));
    await first.stop();
    await fanout.close();
    await db.destroy();
  }
}

log(`scale-out: load average ${load()}`);
const o = await orders();
const d1 = await deliveries(1);
const d2 = await deliveries(2);
const d1b = await deliveries(1); // again, so that a change of load in between shows
console.log(
  JSON.stringify({
    ordersPerSecond: { oneApi: Math.round(o.one), twoApis: Math.round(o.two), ratio: +(o.two / o.one).toFixed(2) },
    deliveriesPerSecond: {
      oneWorker: Math.round(median([d1, d1b])),
      twoWorkers: Math.round(d2),
      ratio: +(d2 / median([d1, d1b])).toFixed(2),
    },
    loadAverage: load(),
  }),
);
process.exit(0);
