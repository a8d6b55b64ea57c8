// Benchmark 1: what tRPC and authentication cost per request. An authenticated trivial query
// (auth.whoami: the bearer token is resolved, the procedure returns the actor, no SQL of its
// own) against a bare Fastify route (/healthz) of the same server, same load, same run.
import { startApiProcess } from "../lib/api";
import { runLoad } from "../lib/load";
import { cpuSeconds } from "../lib/processes";
import { scratchDatabase } from "../lib/scratch-db";
import { median } from "../lib/stats";
import type { Benchmark } from "../lib/types";

const CONNECTIONS = 32;

export const trpcOverhead: Benchmark = {
  id: "1",
  title: "authenticated trivial tRPC query vs bare Fastify route",
  async run(opts) {
    const { db, url: databaseUrl } = await scratchDatabase("canopy_bench_api", { fresh: true });
    await db.destroy();
    const api = await startApiProcess({
      databaseUrl,
      redisUrl: opts.redisUrl,
      nodeFlags: opts.profile ? ["--cpu-prof", "--cpu-prof-dir=bench/profiles"] : [],
    });
    // The same API without the limiter (RATE_LIMIT_PER_MINUTE=0), for what the limiter costs (#1b).
    const unlimited = await startApiProcess({ databaseUrl, redisUrl: opts.redisUrl, env: { RATE_LIMIT_PER_MINUTE: "0" } });
    try {
      const trpc = { url: `${api.url}/trpc/auth.whoami`, headers: { authorization: `Bearer ${api.apiKey}` } };
      const bare = { url: `${api.url}/healthz` };
      const check = await fetch(trpc.url, { headers: trpc.headers });
      if (!check.ok) throw new Error(`auth.whoami answered ${check.status}: ${await check.text()}`);
      // Warm-up: JIT, pool connections, caches.
      await runLoad({ ...trpc, connections: CONNECTIONS, durationSeconds: 2 });
      await runLoad({ ...bare, connections: CONNECTIONS, durationSeconds: 1 });
      const runs: { value: number; baseline: number; cpuUs: number; baselineCpuUs: number }[] = [];
      for (let i = 0; i < opts.repetitions; i++) {
        // Alternate the order so a drift of the machine does not favour one side.
        // Also the API's own CPU time per request: the load generator shares the machine, and
        // at the bare route's rate it may be what limits, not the server.
        const cpu: Record<string, number> = {};
        const measure = async (target: typeof trpc | typeof bare) => {
          const before = cpuSeconds(api.pid);
          const r = await runLoad({ ...target, connections: CONNECTIONS, durationSeconds: opts.durationSeconds });
          if (r.non2xx || r.errors) throw new Error(`${target.url}: ${r.non2xx} non-2xx answers, ${r.errors} errors`);
          cpu[target.url] = ((cpuSeconds(api.pid) - before) / r.total) * 1e6;
          return r.requestsPerSecond;
        };
        let value: number;
        let baseline: number;
        if (i % 2) {
          value = await measure(trpc);
          baseline = await measure(bare);
        } else {
          baseline = await measure(bare);
          value = await measure(trpc);
        }
        runs.push({ value, baseline, cpuUs: cpu[trpc.url]!, baselineCpuUs: cpu[bare.url]! });
        opts.log(
          `  #1 run ${i + 1}: tRPC ${value.toFixed(0)} req/s (${cpu[trpc.url]!.toFixed(0)} µs CPU each), bare ${baseline.toFixed(0)} req/s (${cpu[bare.url]!.toFixed(0)} µs)`,
        );
      }
      const limiterRuns: { limited: number; unlimited: number }[] = [];
      const whoami = (url: string) => ({ url: `${url}/trpc/auth.whoami`, headers: { authorization: `Bearer ${api.apiKey}` } });
      await runLoad({ ...whoami(unlimited.url), connections: CONNECTIONS, durationSeconds: 2 });
      for (let i = 0; i < opts.repetitions; i++) {
        const rate = async (url: string) => {
          const r = await runLoad({ ...whoami(url), connections: CONNECTIONS, durationSeconds: opts.durationSeconds });
          if (r.non2xx || r.errors) throw new Error(`${url}: ${r.non2xx} non-2xx answers, ${r.errors} errors`);
          return r.requestsPerSecond;
        };
        // Alternated, as above.
        const run = { limited: 0, unlimited: 0 };
        if (i % 2) {
          run.limited = await rate(api.url);
          run.unlimited = await rate(unlimited.url);
        } else {
          run.unlimited = await rate(unlimited.url);
          run.limited = await rate(api.url);
        }
        limiterRuns.push(run);
        opts.log(`  #1b run ${i + 1}: with the limiter ${run.limited.toFixed(0)} req/s, without ${run.unlimited.toFixed(0)} req/s`);
      }
      const limited = median(limiterRuns.map((r) => r.limited));
      const free = median(limiterRuns.map((r) => r.unlimited));
      const value = median(runs.map((r) => r.value));
      const baseline = median(runs.map((r) => r.baseline));
      return [
        {
          id: "1b",
          benchmark: `auth.whoami with the per-key rate limiter (Redis) vs without it (c=${CONNECTIONS})`,
          unit: "req/s",
          value: limited,
          baseline: free,
          ratio: limited / free,
          goal: "report",
          met: null,
          runs: limiterRuns,
          note: "the limiter's cost per call: one Redis round trip",
        },
        {
          id: "1",
          benchmark: `authenticated tRPC query (auth.whoami, c=${CONNECTIONS})`,
          unit: "req/s",
          value,
          baseline,
          ratio: value / baseline,
          goal: "≥ 0.5",
          met: value / baseline >= 0.5,
          runs,
          note: `API CPU per request ${median(runs.map((r) => r.cpuUs)).toFixed(0)} µs vs ${median(runs.map((r) => r.baselineCpuUs)).toFixed(0)} µs`,
        },
      ];
    } finally {
      await Promise.all([api.stop(), unlimited.stop()]);
    }
  },
};
