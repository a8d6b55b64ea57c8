// The CPU an auth.whoami costs the API's own code, sockets left out: two hosts in this one process
// (apps/api's buildServer, outputs validated and not), called through Fastify's inject in
// alternating blocks, process CPU time per call. One process, one JIT, interleaved: steadier than
// comparing two API processes under autocannon (bench #1c), and blind to the kernel's share.
//   npx tsx bench/whoami-inprocess.ts [calls per block, default 5000] [rounds, default 7]
import { randomBytes } from "node:crypto";
import { ActorCache, bootstrapPlatform } from "@canopy/domain/identity";
import { buildServer } from "../apps/api/src/server";
import { scratchDatabase } from "./lib/scratch-db";
import { median } from "./lib/stats";

const calls = Number(process.argv[2] ?? 5000);
const rounds = Number(process.argv[3] ?? 7);
const { db } = await scratchDatabase("canopy_bench_inprocess", { fresh: true });
const apiKey = `bench_${randomBytes(24).toString("base64url")}`;
await bootstrapPlatform(db, { apiKey, adminEmail: "admin@bench.test", adminPassword: "bench-admin-password" });
// No credential changes happen here: the cache may serve without its LISTEN feed.
const actors = new ActorCache();
actors.resume();
const hosts = {
  validated: await buildServer({ db, actors, validateOutput: true }),
  "not validated": await buildServer({ db, actors, validateOutput: false }),
};
const targets = [
  ...Object.entries(hosts).map(([label, app]) => ({
    label: `whoami, outputs ${label}`,
    app,
    request: { method: "GET" as const, url: "/trpc/auth.whoami", headers: { authorization: `Bearer ${apiKey}` } },
  })),
  { label: "/healthz", app: hosts.validated, request: { method: "GET" as const, url: "/healthz" } },
];

async function block(target: (typeof targets)[number], n: number): Promise<number> {
  const before = process.cpuUsage();
  for (let i = 0; i < n; i++) {
    const response = await target.app.inject(target.request);
    if (response.statusCode !== 200) throw new Error(`${target.label}: ${response.statusCode} ${response.body}`);
  }
  const used = process.cpuUsage(before);
  return (used.user + used.system) / n;
}

for (const target of targets) await block(target, calls);
const perCall = new Map<string, number[]>(targets.map((t) => [t.label, []]));
for (let round = 0; round < rounds; round++) {
  const order = round % 2 ? [...targets].reverse() : targets;
  for (const target of order) perCall.get(target.label)!.push(await block(target, calls));
}
for (const [label, values] of perCall) {
  console.log(
    `${label.padEnd(32)} ${median(values).toFixed(1).padStart(6)} µs CPU per call (median of ${rounds}: ${values.map((v) => v.toFixed(1)).join(", ")})`,
  );
}
const on = median(perCall.get("whoami, outputs validated")!);
const off = median(perCall.get("whoami, outputs not validated")!);
console.log(`output validation: ${(on - off).toFixed(1)} µs per call (${((100 * (on - off)) / on).toFixed(0)} % of the validated call)`);
await Promise.all(Object.values(hosts).map((app) => app.close()));
await db.destroy();
