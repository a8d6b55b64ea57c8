// The typed client's CPU per orders.place: the SDK's Node transport against Node's own fetch, the
// same load (bench #2's generator, 32 loops) alternated against one API on a scratch database.
//   npx tsx bench/client-transport.ts [--runs 3] [--seconds 5]
import { parseArgs } from "node:util";
import { startApiProcess } from "./lib/api";
import { setUpCommerce } from "./lib/commerce";
import { runTs } from "./lib/processes";
import { scratchDatabase } from "./lib/scratch-db";
import { median } from "./lib/stats";

const { values } = parseArgs({ options: { runs: { type: "string", default: "3" }, seconds: { type: "string", default: "5" } } });
const runs = Number(values.runs);
const seconds = Number(values.seconds);
const redisUrl = process.env.REDIS_URL ?? "redis://127.0.0.1:6379";
const { db, url: databaseUrl } = await scratchDatabase("canopy_bench_transport", { fresh: true });
const api = await startApiProcess({ databaseUrl, redisUrl, nodeFlags: [] });
try {
  const { mpn, customers } = await setUpCommerce(api.url, api.apiKey, 32);
  const keys = customers.map((c) => c.secret);
  const measure = async (transport?: "global-fetch") => {
    const out = await runTs("bench/load/place-orders.ts", [JSON.stringify({ url: api.url, keys, mpn, seconds, transport })]);
    return JSON.parse(out) as { orders: number; seconds: number; failures: number; cpuUsPerOrder: number };
  };
  await measure();
  await measure("global-fetch");
  const results: Record<string, { cpu: number; rate: number }[]> = {
    "node:http keep-alive (SDK default in Node)": [],
    "Node's fetch (undici)": [],
  };
  for (let i = 0; i < runs; i++) {
    for (const transport of i % 2 ? (["global-fetch", undefined] as const) : ([undefined, "global-fetch"] as const)) {
      const r = await measure(transport);
      if (r.failures) throw new Error(`${r.failures} orders failed`);
      const name = transport ? "Node's fetch (undici)" : "node:http keep-alive (SDK default in Node)";
      results[name]!.push({ cpu: r.cpuUsPerOrder, rate: r.orders / r.seconds });
      console.log(
        `run ${i + 1} ${name}: client CPU ${r.cpuUsPerOrder.toFixed(0)} µs per order, ${(r.orders / r.seconds).toFixed(0)} orders/s`,
      );
    }
  }
  for (const [name, rs] of Object.entries(results)) {
    console.log(
      `median ${name}: client CPU ${median(rs.map((r) => r.cpu)).toFixed(0)} µs per order, ${median(rs.map((r) => r.rate)).toFixed(0)} orders/s`,
    );
  }
} finally {
  await api.stop();
  await db.destroy();
}
