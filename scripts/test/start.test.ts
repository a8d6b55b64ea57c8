import { type ChildProcess, spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { chmod, mkdtemp, readFile, rm, stat } from "node:fs/promises";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { createCanopyClient } from "@canopy/sdk";
import { deleteRedisKeys } from "@canopy/worker/testing";
import pg from "pg";
import { afterAll, describe, expect, it, vi } from "vitest";
import { DEFAULT_REDIS_URL, redisAnswers } from "../lib/redis";

// `npm start` end to end: the script itself, its embedded PostgreSQL, the API and the worker as
// children, the first-start credentials, `npm run demo` against it, and an orderly stop on SIGINT.
const root = resolve(import.meta.dirname, "../..");
const postgresUrl = process.env.DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/postgres";
const cleanups: (() => Promise<unknown>)[] = [];
afterAll(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup();
});

/** Unlinks the keys a run left under its queue prefix on the shared Redis (none when it ran a private one). */
async function deleteQueueKeys(prefix: string): Promise<void> {
  const url = process.env.REDIS_URL ?? DEFAULT_REDIS_URL;
  if (!(await redisAnswers(url))) return;
  await deleteRedisKeys(url, `${prefix}:*`);
}

function freePort(): Promise<number> {
  return new Promise((done) => {
    const server = createServer().listen(0, "127.0.0.1", () => {
      const { port } = server.address() as { port: number };
      server.close(() => done(port));
    });
  });
}

/** `npm start` that is expected to refuse: its exit code and everything it printed. */
function startRefused(env: Record<string, string>, dataDir: string): Promise<{ code: number | null; output: string }> {
  const child = spawn(process.execPath, ["--import", "tsx", "scripts/start.ts"], {
    cwd: root,
    env: { ...process.env, CANOPY_DATA_DIR: dataDir, LOG_LEVEL: "warn", ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  child.stdout.on("data", (chunk) => (output += chunk));
  child.stderr.on("data", (chunk) => (output += chunk));
  return new Promise((done) => child.once("exit", (code) => done({ code, output })));
}

async function start(extraEnv: Record<string, string>, dataDir: string) {
  const [port, metricsPort] = await Promise.all([freePort(), freePort()]);
  const prefix = `canopy-test-${randomBytes(6).toString("hex")}`;
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    CANOPY_DATA_DIR: dataDir,
    PORT: String(port),
    WORKER_METRICS_PORT: String(metricsPort),
    WORKER_QUEUE_PREFIX: prefix,
    LOG_LEVEL: "warn",
    ...extraEnv,
  };
  if (!("DATABASE_URL" in extraEnv)) delete env.DATABASE_URL;
  const child: ChildProcess = spawn(process.execPath, ["--import", "tsx", "scripts/start.ts"], {
    cwd: root,
    env,
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  child.stdout?.on("data", (chunk) => (output += chunk));
  child.stderr?.on("data", (chunk) => (output += chunk));
  const exited = new Promise<number | null>((done) => child.once("exit", (code) => done(code)));
  cleanups.push(async () => {
    if (child.exitCode === null) child.kill("SIGINT");
    await exited;
    await deleteQueueKeys(prefix);
  });
  await vi.waitFor(
    () => {
      if (child.exitCode !== null) throw new Error(`npm start exited:\n${output}`);
      expect(output).toContain("Canopy is running");
    },
    { timeout: 120_000, interval: 200 },
  );
  const api = `http://127.0.0.1:${port}`;
  return {
    api,
    metrics: `http://127.0.0.1:${metricsPort}/metrics`,
    output: () => output,
    async stop() {
      child.kill("SIGINT");
      return exited;
    },
  };
}

function runDemo(dataDir: string): Promise<{ code: number | null; output: string }> {
  const env: NodeJS.ProcessEnv = { ...process.env, CANOPY_DATA_DIR: dataDir };
  delete env.CANOPY_URL;
  delete env.CANOPY_API_KEY;
  const child = spawn(process.execPath, ["--import", "tsx", "scripts/demo.ts"], { cwd: root, env, stdio: ["ignore", "pipe", "pipe"] });
  let output = "";
  child.stdout.on("data", (chunk) => (output += chunk));
  child.stderr.on("data", (chunk) => (output += chunk));
  return new Promise((done) => child.once("exit", (code) => done({ code, output })));
}

async function newDataDir() {
  const dir = await mkdtemp(join(tmpdir(), "canopy-start-"));
  await chmod(dir, 0o755); // run as root, the embedded server's `postgres` user must reach it
  cleanups.push(() => rm(dir, { recursive: true, force: true }));
  return dir;
}

describe("npm start", () => {
  it("runs everything on an embedded PostgreSQL, tells where, and stops it all on Ctrl-C", { timeout: 240_000 }, async () => {
    const dataDir = await newDataDir();
    const first = await start({}, dataDir);
    expect(first.output()).toMatch(/embedded PostgreSQL on 127\.0\.0\.1:\d+/);
    expect(first.output()).toMatch(/First admin\s+admin@canopy\.local \/ password: \S+/);
    expect(first.output()).toContain(`${first.api.replace("127.0.0.1", "localhost")}/admin/queues`);

    const ready = await fetch(`${first.api}/readyz`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toEqual({ ok: true, postgres: "ok", redis: "ok" });
    expect(await (await fetch(`${first.api}/metrics`)).text()).toContain("canopy_queue_jobs{");
    expect((await fetch(first.metrics)).status).toBe(200);

    const credentialsFile = join(dataDir, "credentials.json");
    expect((await stat(credentialsFile)).mode & 0o777).toBe(0o600);
    const credentials = JSON.parse(await readFile(credentialsFile, "utf8"));
    const dashboard = await fetch(`${first.api}/admin/queues/api/queues`, {
      headers: { authorization: `Bearer ${credentials.bootstrapApiKey}` },
    });
    expect(dashboard.status).toBe(200);

    // The tour a newcomer runs next, against this instance, found through credentials.json.
    const demo = await runDemo(dataDir);
    expect(demo.output).toContain("order completed");
    expect(demo.code, demo.output).toBe(0);

    expect(await first.stop()).toBe(0);
    expect(first.output()).toContain("stopped");
    await expect(fetch(`${first.api}/healthz`)).rejects.toThrow();
    await expect(stat(join(dataDir, "postgres", "postmaster.pid"))).rejects.toThrow(); // the cluster is down

    // The second start reuses the cluster and the credentials; the password is not shown again.
    const second = await start({}, dataDir);
    expect(second.output()).not.toContain("First admin");
    expect(second.output()).not.toContain("creating the embedded PostgreSQL cluster");
    expect((await fetch(`${second.api}/readyz`)).status).toBe(200);
    expect(await second.stop()).toBe(0);
  });

  it("uses DATABASE_URL when it is set", { timeout: 120_000 }, async () => {
    const database = `canopy_start_${randomBytes(4).toString("hex")}`;
    const url = new URL(postgresUrl);
    url.pathname = `/${database}`;
    const admin = new pg.Client({ connectionString: postgresUrl });
    await admin.connect();
    cleanups.push(async () => {
      await admin.query(`drop database if exists ${database} with (force)`);
      await admin.end();
    });
    const dataDir = await newDataDir();
    const run = await start({ DATABASE_URL: url.toString() }, dataDir);
    expect(run.output()).not.toContain("embedded PostgreSQL");
    expect((await fetch(`${run.api}/readyz`)).status).toBe(200);

    // The README's example, as written there, on this fresh install: DEMO-BACKUP is demo data of npm start.
    expect(run.output()).toContain("demo data: product DEMO-BACKUP created and published");
    const { bootstrapApiKey } = JSON.parse(await readFile(join(dataDir, "credentials.json"), "utf8"));
    const canopy = createCanopyClient({ url: run.api, apiKey: bootstrapApiKey });
    const product = await canopy.products.get.query({ mpn: "DEMO-BACKUP" });
    expect(product).toMatchObject({ status: "published", connector: "demo" });
    expect(product.description).toMatch(/^Demo data created by `npm start`/);
    const customer = await canopy.accounts.create.mutate({
      type: "customer",
      name: "Example GmbH",
      contact: { email: "it@example.com" },
      address: { country: "DE" },
    });
    const order = await canopy.orders.place.mutate({
      accountId: customer.id,
      items: [{ mpn: "DEMO-BACKUP", quantity: 5 }],
      idempotencyKey: "po-4711",
    });
    await vi.waitFor(async () => expect((await canopy.orders.get.query({ id: order.id })).status).toBe("completed"), {
      timeout: 30_000,
      interval: 200,
    });
    expect(await run.stop()).toBe(0);

    // A second start leaves the demo product alone.
    const again = await start({ DATABASE_URL: url.toString() }, dataDir);
    expect(again.output()).not.toContain("demo data:");
    expect(await again.stop()).toBe(0);
  });

  it("refuses a second start on the same data folder, and the first goes on untouched", { timeout: 240_000 }, async () => {
    const dataDir = await newDataDir();
    const first = await start({}, dataDir);
    const lock = JSON.parse(await readFile(join(dataDir, "canopy.lock"), "utf8")) as { pid: number };
    const [port, metricsPort] = await Promise.all([freePort(), freePort()]);
    const second = await startRefused({ PORT: String(port), WORKER_METRICS_PORT: String(metricsPort) }, dataDir);
    expect(second.code).toBe(1);
    expect(second.output).toContain(`could not start: another \`npm start\` (pid ${lock.pid}, since `);
    expect(second.output).toContain(`is running on the data folder ${dataDir}`);
    expect(second.output).not.toContain("PostgreSQL");
    // the first still answers, its database up
    expect((await fetch(`${first.api}/readyz`)).status).toBe(200);
    await stat(join(dataDir, "postgres", "postmaster.pid"));
    expect(await first.stop()).toBe(0);
    await expect(stat(join(dataDir, "canopy.lock"))).rejects.toThrow(); // released on the way out
  });

  it("refuses a taken PORT or WORKER_METRICS_PORT with a clear message, starting nothing", { timeout: 60_000 }, async () => {
    const squatter = createServer();
    await new Promise<void>((done) => squatter.listen(0, "127.0.0.1", () => done()));
    const taken = (squatter.address() as { port: number }).port;
    cleanups.push(() => new Promise((done) => squatter.close(done)));
    const dataDir = await newDataDir();
    const api = await startRefused({ PORT: String(taken), WORKER_METRICS_PORT: String(await freePort()) }, dataDir);
    expect(api.code).toBe(1);
    expect(api.output).toContain(
      `could not start: port ${taken} (PORT, the API) is taken: stop what listens there, or run with PORT=<another port>`,
    );
    const metrics = await startRefused({ PORT: String(await freePort()), WORKER_METRICS_PORT: String(taken) }, dataDir);
    expect(metrics.code).toBe(1);
    expect(metrics.output).toContain(`port ${taken} (WORKER_METRICS_PORT, the worker's metrics) is taken`);
    expect(metrics.output).not.toContain("PostgreSQL");
  });

  it("takes over the lock of a start that was killed", { timeout: 120_000 }, async () => {
    const dataDir = await newDataDir();
    const { writeFile } = await import("node:fs/promises");
    const dead = spawn(process.execPath, ["-e", ""]);
    const deadPid = await new Promise<number>((done) => dead.once("exit", () => done(dead.pid!)));
    await writeFile(join(dataDir, "canopy.lock"), JSON.stringify({ pid: deadPid, startedAt: "earlier" }));
    const database = `canopy_start_${randomBytes(4).toString("hex")}`;
    const url = new URL(postgresUrl);
    url.pathname = `/${database}`;
    cleanups.push(async () => {
      const admin = new pg.Client({ connectionString: postgresUrl });
      await admin.connect();
      await admin.query(`drop database if exists ${database} with (force)`);
      await admin.end();
    });
    const run = await start({ DATABASE_URL: url.toString(), CANOPY_DEMO_DATA: "false" }, dataDir);
    expect(JSON.parse(await readFile(join(dataDir, "canopy.lock"), "utf8")).pid).not.toBe(deadPid);
    expect(run.output()).not.toContain("demo data:");
    expect(await run.stop()).toBe(0);
  });
});
