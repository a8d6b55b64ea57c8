// Summarises a V8 .cpuprofile (from `npm run bench -- --profile`): idle share, the functions with
// the most self time grouped by package, and the functions with the most inclusive time (the
// function and everything it called).
//   npx tsx bench/profile-summary.ts FILE [N]
//   npx tsx bench/profile-summary.ts FILE [N] --with resolveBuffered            only the load phases of one route
//   npx tsx bench/profile-summary.ts FILE [N] --with routeHandler --without resolveBuffered
//   npx tsx bench/profile-summary.ts FILE [N] --under outputValidatorMiddleware  what one function's subtree spends
// --with/--without keep the samples of the time windows (--window ms, default 200) in which some
// sample's stack holds a function of that name (and none holds the other): a benchmark that
// alternates two routes on one process can be read one route at a time. Percentages are of the
// busy (non-idle) time of the kept samples.
import { readFileSync } from "node:fs";
import { parseArgs } from "node:util";

interface Node {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}
const { values: args, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    with: { type: "string" },
    without: { type: "string" },
    under: { type: "string" },
    window: { type: "string", default: "200" },
  },
});
const [file, topArg] = positionals;
if (!file) throw new Error("usage: profile-summary FILE [N] [--with FN] [--without FN] [--under FN] [--window MS]");
const top = Number(topArg ?? 30);
const profile = JSON.parse(readFileSync(file, "utf8")) as {
  nodes: Node[];
  samples: number[];
  timeDeltas: number[];
  startTime: number;
};
const byId = new Map(profile.nodes.map((n) => [n.id, n]));
const parent = new Map<number, number>();
for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
const stackOf = (id: number): Node[] => {
  const stack: Node[] = [];
  for (let at: number | undefined = id; at !== undefined; at = parent.get(at)) stack.push(byId.get(at)!);
  return stack;
};
const holds = (id: number, name: string) => stackOf(id).some((n) => n.callFrame.functionName === name);

// Samples with their times, then the windows to keep.
const windowUs = Number(args.window) * 1000;
let time = profile.startTime;
const samples = profile.samples.map((id, i) => {
  time += profile.timeDeltas[i] ?? 0;
  return { id, at: time, dt: profile.timeDeltas[i] ?? 0 };
});
let kept = samples;
if (args.with || args.without) {
  const windows = new Map<number, { with: boolean; without: boolean }>();
  for (const s of samples) {
    const w = Math.floor(s.at / windowUs);
    const seen = windows.get(w) ?? { with: !args.with, without: false };
    if (args.with && !seen.with && holds(s.id, args.with)) seen.with = true;
    if (args.without && !seen.without && holds(s.id, args.without)) seen.without = true;
    windows.set(w, seen);
  }
  kept = samples.filter((s) => {
    const seen = windows.get(Math.floor(s.at / windowUs))!;
    return seen.with && !seen.without;
  });
}
if (args.under) {
  const name = args.under;
  kept = kept.filter((s) => holds(s.id, name));
}

const where = (url: string) => {
  const m = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  return m ? m[1]! : url.includes("/work/") ? url.replace(/.*\/work\/(?:main|wt\/[^/]+)\//, "") : url || "(native)";
};
const keyOf = (n: Node) => `${n.callFrame.functionName || "(anonymous)"} ${where(n.callFrame.url)}:${n.callFrame.lineNumber + 1}`;
const SPECIAL = new Set(["(idle)", "(garbage collector)", "(program)"]);

const fns = new Map<string, number>();
const pkgs = new Map<string, number>();
const inclusive = new Map<string, number>();
let total = 0;
let idle = 0;
for (const { id, dt } of kept) {
  const node = byId.get(id)!;
  const { functionName, url } = node.callFrame;
  if (functionName === "(idle)") {
    idle += dt;
    continue;
  }
  total += dt;
  fns.set(keyOf(node), (fns.get(keyOf(node)) ?? 0) + dt);
  const pkg = SPECIAL.has(functionName) ? functionName : where(url);
  pkgs.set(pkg, (pkgs.get(pkg) ?? 0) + dt);
  for (const key of new Set(stackOf(id).map(keyOf))) inclusive.set(key, (inclusive.get(key) ?? 0) + dt);
}
const pct = (t: number) => `${((100 * t) / total).toFixed(1).padStart(5)}%`;
console.log(
  `${((total + idle) / 1e6).toFixed(1)} s sampled, ${(idle / 1e6).toFixed(1)} s idle (${((100 * idle) / (total + idle || 1)).toFixed(0)} %); ` +
    `percentages below are of the ${(total / 1e6).toFixed(1)} s busy`,
);
console.log("\nby package / file (self time):");
for (const [k, t] of [...pkgs].sort((a, b) => b[1] - a[1]).slice(0, 20)) console.log(`${pct(t)}  ${k}`);
console.log("\nby function (self time):");
for (const [k, t] of [...fns].sort((a, b) => b[1] - a[1]).slice(0, top)) console.log(`${pct(t)}  ${k}`);
console.log("\nby function (inclusive time: itself and what it called):");
for (const [k, t] of [...inclusive].sort((a, b) => b[1] - a[1]).slice(0, top)) console.log(`${pct(t)}  ${k}`);
