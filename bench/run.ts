// `npm run bench`: every benchmark with its baseline in the same run, medians of several
// repetitions, one table, bench/results.json.
//   npm run bench                      all benchmarks, 3 repetitions of 5 s (medians)
//   npm run bench -- --quick           a sanity run: 1 repetition of 2 s, small data sets
//   npm run bench -- --only 1,5 --runs 3 --duration 10 --profile
import { mkdirSync, writeFileSync } from "node:fs";
import { resolve } from "node:path";
import { parseArgs } from "node:util";
import { billingClose } from "./benchmarks/billing-close";
import { listingScale } from "./benchmarks/listing-scale";
import { orderThroughput } from "./benchmarks/order-throughput";
import { panelLoad } from "./benchmarks/panel-load";
import { restVsTrpc } from "./benchmarks/rest-vs-trpc";
import { trpcOverhead } from "./benchmarks/trpc-overhead";
import { webhookLatency } from "./benchmarks/webhook-latency";
import { webhookThroughput } from "./benchmarks/webhook-throughput";
import { repoRoot } from "./lib/processes";
import type { Benchmark, BenchOptions, Row } from "./lib/types";

const benchmarks: Benchmark[] = [
  trpcOverhead,
  orderThroughput,
  webhookLatency,
  webhookThroughput,
  listingScale,
  panelLoad,
  billingClose,
  restVsTrpc,
];

const { values: args } = parseArgs({
  options: {
    quick: { type: "boolean", default: false },
    runs: { type: "string" },
    duration: { type: "string" },
    only: { type: "string" },
    profile: { type: "boolean", default: false },
  },
});

const quick = args.quick ?? false;
/** Peak RSS per process and benchmark, for benchmark 6. */
const peaks = new Map<string, number>();
const opts: BenchOptions = {
  quick,
  repetitions: Number(args.runs ?? (quick ? 1 : 3)),
  durationSeconds: Number(args.duration ?? (quick ? 2 : 5)),
  databaseUrl: process.env.DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/postgres",
  redisUrl: process.env.REDIS_URL ?? "redis://127.0.0.1:6379",
  profile: args.profile ?? false,
  log: (message) => process.stderr.write(`${message}\n`),
  peakRss(name, during, bytes) {
    const key = `${name}:${during}`;
    peaks.set(key, Math.max(peaks.get(key) ?? 0, bytes));
  },
};
if (opts.profile) mkdirSync(resolve(repoRoot, "bench/profiles"), { recursive: true });
const only = args.only ? new Set(args.only.split(",").map((s) => s.trim())) : null;

const rows: Row[] = [];
const started = new Date();
for (const benchmark of benchmarks) {
  if (only && !only.has(benchmark.id)) continue;
  opts.log(`#${benchmark.id} ${benchmark.title} …`);
  const t0 = Date.now();
  try {
    rows.push(...(await benchmark.run(opts)));
  } catch (error) {
    opts.log(`#${benchmark.id} failed: ${(error as Error).stack ?? error}`);
    rows.push({
      id: benchmark.id,
      benchmark: benchmark.title,
      unit: "",
      value: null,
      baseline: null,
      ratio: null,
      goal: "",
      met: false,
      note: `failed: ${(error as Error).message.split("\n")[0]}`,
    });
  }
  opts.log(`#${benchmark.id} done in ${((Date.now() - t0) / 1000).toFixed(0)} s`);
}

// Benchmark 6: what the API and the worker held in memory at their peak during 2–4.
for (const name of ["api", "worker"] as const) {
  const during = [...peaks].filter(([k]) => k.startsWith(`${name}:`));
  if (during.length === 0) continue;
  const peak = Math.max(...during.map(([, v]) => v)) / 2 ** 20;
  rows.push({
    id: name === "api" ? "6a" : "6b",
    benchmark: `peak RSS of the ${name} process during ${during.map(([k]) => `#${k.split(":")[1]}`).join(", ")}`,
    unit: "MiB",
    value: peak,
    baseline: null,
    ratio: null,
    goal: "report",
    met: null,
    runs: during.map(([k, v]) => ({ [`benchmark${k.split(":")[1]}`]: v / 2 ** 20 })) as Record<string, number>[],
  });
}

printTable(rows);
const file = resolve(repoRoot, "bench/results.json");
writeFileSync(
  file,
  `${JSON.stringify({ startedAt: started.toISOString(), finishedAt: new Date().toISOString(), node: process.version, quick, repetitions: opts.repetitions, durationSeconds: opts.durationSeconds, rows }, null, 2)}\n`,
);
console.log(`\nwritten: ${file}`);
// Pools, Redis clients or timers a benchmark left behind must not keep the run alive.
process.exit(rows.some((r) => r.note?.startsWith("failed")) ? 1 : 0);

function format(n: number | null, unit = ""): string {
  if (n === null || Number.isNaN(n)) return "—";
  if (unit === "MiB") return n.toFixed(0);
  if (Math.abs(n) >= 100) return Math.round(n).toLocaleString("en");
  if (Math.abs(n) >= 10) return n.toFixed(1);
  return n.toFixed(2);
}

function printTable(rows: Row[]) {
  const header = ["#", "benchmark", "value", "baseline", "unit", "ratio", "goal", "met?"];
  const lines = rows.map((r) => [
    r.id,
    r.benchmark + (r.note ? ` (${r.note})` : ""),
    format(r.value, r.unit),
    format(r.baseline, r.unit),
    r.unit,
    r.ratio === null ? "—" : r.ratio.toFixed(2),
    r.goal,
    r.met === null ? "—" : r.met ? "yes" : "NO",
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...lines.map((l) => l[i]!.length)));
  const fmt = (cells: string[]) =>
    `| ${cells.map((c, i) => (i >= 2 && i <= 5 ? c.padStart(widths[i]!) : c.padEnd(widths[i]!))).join(" | ")} |`;
  console.log(`\n${fmt(header)}\n|${widths.map((w) => "-".repeat(w + 2)).join("|")}|`);
  for (const line of lines) console.log(fmt(line));
}
