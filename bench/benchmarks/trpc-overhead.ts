// Benchmark 1: what tRPC and authentication cost per request. An authenticated trivial query
// (auth.whoami: the bearer token is resolved, the procedure returns the actor, no SQL of its
// own) against a bare Fastify route (/healthz) of the same server, same load, same run.
import { type ApiProcess, startApiProcess } from "../lib/api";
import { runLoad } from "../lib/load";
import { cpuSeconds, profileFlags } from "../lib/processes";
import { scratchDatabase } from "../lib/scratch-db";
import { median } from "../lib/stats";
import type { Benchmark, BenchOptions } from "../lib/types";

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
      nodeFlags: profileFlags(opts.profile),
    });
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
      const whoamiAt = (url: string) => ({ url: `${url}/trpc/auth.whoami`, headers: { authorization: `Bearer ${api.apiKey}` } });
      // #1b and #1c: two fresh processes each, warmed alike (a process that has served longer
      // runs faster: comparing the API above, warm from #1, with a fresh one flattered it).
      const limiterRuns = await whoamiAB(opts, databaseUrl, whoamiAt, "#1b", {
        a: { label: "with the limiter", env: {} },
        b: { label: "without", env: { RATE_LIMIT_PER_MINUTE: "0" } },
      });
      const validationRuns = await whoamiAB(opts, databaseUrl, whoamiAt, "#1c", {
        a: { label: "outputs validated", env: {} },
        b: { label: "not validated", env: { API_VALIDATE_OUTPUT: "0" } },
      });
      const limited = median(limiterRuns.map((r) => r.a));
      const free = median(limiterRuns.map((r) => r.b));
      const value = median(runs.map((r) => r.value));
      const baseline = median(runs.map((r) => r.baseline));
      const onCpu = median(validationRuns.map((r) => r.aCpuUs));
      const offCpu = median(validationRuns.map((r) => r.bCpuUs));
      return [
        {
          id: "1c",
          benchmark: `auth.whoami API CPU per request, outputs validated vs not (API_VALIDATE_OUTPUT=0), c=${CONNECTIONS}`,
          unit: "µs",
          value: onCpu,
          baseline: offCpu,
          ratio: onCpu / offCpu,
          goal: "report",
          met: null,
          runs: validationRuns,
          note: `req/s validated ${median(validationRuns.map((r) => r.a)).toFixed(0)} vs not ${median(validationRuns.map((r) => r.b)).toFixed(0)}`,
        },
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
          note: `the limiter's cost per call: one Redis round trip; API CPU per request ${median(limiterRuns.map((r) => r.aCpuUs)).toFixed(0)} vs ${median(limiterRuns.map((r) => r.bCpuUs)).toFixed(0)} µs`,
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
      await api.stop();
    }
  },
};

type AbRun = {
  a: number;
  b: number;
  aCpuUs: number;
  bCpuUs: number;
};

/**
 * Two fresh API processes over the same database that differ only in `env`, warmed alike, whoami
 * on each alternately: requests/s and the process's CPU time per request of each.
 */
async function whoamiAB(
  opts: BenchOptions,
  databaseUrl: string,
  target: (url: string) => { url: string; headers: Record<string, string> },
  name: string,
  sides: { a: { label: string; env: Record<string, string> }; b: { label: string; env: Record<string, string> } },
): Promise<AbRun[]> {
  const a = await startApiProcess({ databaseUrl, redisUrl: opts.redisUrl, env: sides.a.env });
  const b = await startApiProcess({ databaseUrl, redisUrl: opts.redisUrl, env: sides.b.env });
  try {
    for (let i = 0; i < 2; i++) {
      for (const p of [a, b]) await runLoad({ ...target(p.url), connections: CONNECTIONS, durationSeconds: 2 });
    }
    const measure = async (p: ApiProcess) => {
      const before = cpuSeconds(p.pid);
      const r = await runLoad({ ...target(p.url), connections: CONNECTIONS, durationSeconds: opts.durationSeconds });
      if (r.non2xx || r.errors) throw new Error(`${p.url}: ${r.non2xx} non-2xx answers, ${r.errors} errors`);
      return { rate: r.requestsPerSecond, cpuUs: ((cpuSeconds(p.pid) - before) / r.total) * 1e6 };
    };
    const runs: AbRun[] = [];
    for (let i = 0; i < opts.repetitions; i++) {
      // Alternated, so that a drift of the machine does not favour one side.
      const got = i % 2 ? { a: await measure(a), b: await measure(b) } : { b: await measure(b), a: await measure(a) };
      runs.push({ a: got.a.rate, b: got.b.rate, aCpuUs: got.a.cpuUs, bCpuUs: got.b.cpuUs });
      opts.log(
        `  ${name} run ${i + 1}: ${sides.a.label} ${got.a.rate.toFixed(0)} req/s (${got.a.cpuUs.toFixed(0)} µs CPU each), ${sides.b.label} ${got.b.rate.toFixed(0)} req/s (${got.b.cpuUs.toFixed(0)} µs)`,
      );
    }
    return runs;
  } finally {
    await Promise.all([a.stop(), b.stop()]);
  }
}
