// Benchmark 7: orders.place through REST (POST /api/v1/orders) against the same procedure through
// tRPC (POST /trpc/orders.place), same API process, same JSON, plain fetch on both sides,
// alternated. The figure is the API's CPU time per order (from /proc), the steadiest measure
// on a shared machine; throughput is reported beside it.
import { startApiProcess } from "../lib/api";
import { setUpCommerce } from "../lib/commerce";
import { cpuSeconds, runTs } from "../lib/processes";
import { scratchDatabase } from "../lib/scratch-db";
import { median } from "../lib/stats";
import type { Benchmark } from "../lib/types";

const CONCURRENCY = 32;

export const restVsTrpc: Benchmark = {
  id: "9",
  title: "orders.place through REST vs through tRPC",
  async run(opts) {
    const { db, url: databaseUrl } = await scratchDatabase("canopy_bench_rest", { fresh: true });
    const api = await startApiProcess({ databaseUrl, redisUrl: opts.redisUrl });
    try {
      const { mpn, customers } = await setUpCommerce(api.url, api.apiKey, CONCURRENCY);
      const keys = customers.map((c) => c.secret);
      const place = async (via: "rest" | "trpc", seconds: number) => {
        const cpuBefore = cpuSeconds(api.pid);
        const r = JSON.parse(
          await runTs("bench/load/place-orders-http.ts", [JSON.stringify({ url: api.url, keys, mpn, seconds, via })]),
        ) as {
          orders: number;
          seconds: number;
          failures: number;
        };
        if (r.failures) throw new Error(`${r.failures} ${via} orders failed`);
        return { rate: r.orders / r.seconds, cpuUs: ((cpuSeconds(api.pid) - cpuBefore) / r.orders) * 1e6 };
      };
      await place("rest", 1);
      await place("trpc", 1);
      const runs: { restCpuUs: number; trpcCpuUs: number; restRate: number; trpcRate: number }[] = [];
      for (let i = 0; i < opts.repetitions; i++) {
        const order: ("rest" | "trpc")[] = i % 2 ? ["rest", "trpc"] : ["trpc", "rest"];
        const got: Record<string, { rate: number; cpuUs: number }> = {};
        for (const via of order) got[via] = await place(via, opts.durationSeconds);
        runs.push({ restCpuUs: got.rest!.cpuUs, trpcCpuUs: got.trpc!.cpuUs, restRate: got.rest!.rate, trpcRate: got.trpc!.rate });
        opts.log(
          `  #9 run ${i + 1}: REST ${got.rest!.rate.toFixed(0)} orders/s (API ${got.rest!.cpuUs.toFixed(0)} µs CPU per order), tRPC ${got.trpc!.rate.toFixed(0)} orders/s (${got.trpc!.cpuUs.toFixed(0)} µs)`,
        );
      }
      const rest = median(runs.map((r) => r.restCpuUs));
      const trpc = median(runs.map((r) => r.trpcCpuUs));
      return [
        {
          id: "9",
          benchmark: `orders.place API CPU per order, REST vs tRPC, c=${CONCURRENCY}`,
          unit: "µs",
          value: rest,
          baseline: trpc,
          ratio: rest / trpc,
          goal: "≤ 1.2",
          met: rest / trpc <= 1.2,
          runs,
          note: `orders/s REST ${median(runs.map((r) => r.restRate)).toFixed(0)} vs tRPC ${median(runs.map((r) => r.trpcRate)).toFixed(0)}`,
        },
      ];
    } finally {
      await api.stop();
      await db.destroy();
    }
  },
};
