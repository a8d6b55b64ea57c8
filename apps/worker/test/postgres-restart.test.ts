import { type ChildProcess, spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { setTimeout as pause } from "node:timers/promises";
import { fileURLToPath } from "node:url";
import { createDb, type Db } from "@canopy/db";
import { createCanopyClient, errorCode } from "@canopy/sdk";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { type PrivatePostgres, startPrivatePostgres } from "./private-postgres";
import { type ChildWorker, countOrders, freePort, REDIS_URL, spawnWorker, uniquePrefix } from "./support";

const apiMain = fileURLToPath(new URL("../../api/src/main.ts", import.meta.url));

let postgres: PrivatePostgres;
let api: ChildProcess | undefined;
let worker: ChildWorker | undefined;
let db: Db | undefined;
let apiOutput = "";

beforeAll(async () => {
  postgres = await startPrivatePostgres();
});
afterAll(async () => {
  for (const child of [api, worker?.process]) {
    if (child && child.exitCode === null && child.signalCode === null) {
      const exited = new Promise((resolve) => child.once("exit", resolve));
      child.kill("SIGKILL");
      await exited;
    }
  }
  await db?.destroy();
  await postgres?.remove();
});

const alive = (child: ChildProcess | undefined) => child !== undefined && child.exitCode === null && child.signalCode === null;

async function readiness(url: string): Promise<number> {
  return fetch(`${url}/readyz`).then(
    (r) => r.status,
    () => 0,
  );
}

describe("a PostgreSQL restart under load", () => {
  it("is ridden out by the API and the worker: 503 while down, every accepted order completed after", { timeout: 180_000 }, async () => {
    const databaseUrl = postgres.url("canopy");
    const prefix = uniquePrefix();
    const providerKey = `bootstrap_${randomBytes(24).toString("base64url")}`;
    const port = await freePort();
    const url = `http://127.0.0.1:${port}`;

    // The real API and worker, each a process of its own, as `npm start` runs them.
    api = spawn(process.execPath, ["--import", "tsx", apiMain], {
      env: {
        ...process.env,
        DATABASE_URL: databaseUrl,
        REDIS_URL,
        WORKER_QUEUE_PREFIX: prefix,
        PORT: String(port),
        HOST: "127.0.0.1",
        CANOPY_BOOTSTRAP_API_KEY: providerKey,
        CANOPY_ADMIN_EMAIL: "admin@provider.test",
        CANOPY_ADMIN_PASSWORD: "correct horse battery staple",
        LOG_LEVEL: "warn",
        LOG_PRETTY: "0",
      },
      stdio: ["ignore", "pipe", "pipe"],
    });
    api.stdout!.on("data", (d) => (apiOutput += d));
    api.stderr!.on("data", (d) => (apiOutput += d));
    await vi.waitFor(async () => expect(await readiness(url)).toBe(200), { timeout: 60_000, interval: 200 });

    worker = spawnWorker({
      DATABASE_URL: databaseUrl,
      REDIS_URL,
      WORKER_QUEUE_PREFIX: prefix,
      WORKER_METRICS_PORT: "0",
      DEMO_LATENCY_MS: "20",
      // Retries outlast a few seconds of outage; only NOTIFY wakes the relay (no safety poll in
      // the test's time), so orders placed after the restart prove its LISTEN came back.
      WORKER_BACKOFF_BASE_MS: "300",
      WORKER_BACKOFF_MAX_MS: "3000",
      RELAY_SAFETY_POLL_MS: "600000",
    });
    await worker.ready;

    const provider = createCanopyClient({ url, apiKey: providerKey, batch: false });
    const created = await provider.products.create.mutate({
      mpn: `MPN-PGRESTART-${randomBytes(3).toString("hex")}`.toUpperCase(),
      name: "Office Suite",
      isvName: "Acme Software",
      connector: "demo",
      unit: "license",
      billingPeriod: "month",
      minQuantity: 1,
      maxQuantity: 100,
      msrp: { amount: 1000, currency: "USD" },
    });
    const product = await provider.products.publish.mutate({ id: created.id });
    const account = await provider.accounts.create.mutate({
      type: "customer",
      name: "Restart customer",
      contact: { email: "restart@example.com" },
      address: { country: "DE" },
    });
    const { secret } = await provider.apiKeys.create.mutate({ name: "load", accountId: account.id });
    const customer = createCanopyClient({ url, apiKey: secret, batch: false });

    // Ten callers placing orders in a loop for the whole run.
    const accepted: string[] = [];
    const refusals: { code: string; message: string }[] = [];
    let placing = true;
    const callers = Array.from({ length: 10 }, async () => {
      while (placing) {
        try {
          const order = await customer.orders.place.mutate({ items: [{ mpn: product.mpn, quantity: 1 }] });
          accepted.push(order.id);
        } catch (error) {
          refusals.push({ code: errorCode(error) ?? `no answer (${(error as Error).message})`, message: (error as Error).message });
          await pause(100); // a caller backing off, as a client does on 503
        }
      }
    });

    await vi.waitFor(() => expect(accepted.length).toBeGreaterThanOrEqual(20), { timeout: 30_000, interval: 50 });
    await postgres.stop();
    await vi.waitFor(
      async () => {
        expect(alive(api), `the API exited:\n${apiOutput.slice(-2000)}`).toBe(true);
        expect(await readiness(url)).toBe(503);
      },
      { timeout: 10_000, interval: 100 },
    );
    // The outage lasts a few seconds (the probe's was 6) while the callers keep calling.
    await pause(3_000);
    expect(await readiness(url)).toBe(503);
    expect(alive(api), `the API exited:\n${apiOutput.slice(-3000)}`).toBe(true);
    expect(alive(worker.process), `the worker exited:\n${worker.output().slice(-3000)}`).toBe(true);

    await postgres.start();
    await vi.waitFor(async () => expect(await readiness(url)).toBe(200), { timeout: 30_000, interval: 100 });
    const atRestart = accepted.length;
    await vi.waitFor(() => expect(accepted.length).toBeGreaterThanOrEqual(atRestart + 20), { timeout: 30_000, interval: 50 });
    placing = false;
    await Promise.all(callers);

    // Refused calls were told to come back, without internals.
    expect(refusals.length).toBeGreaterThan(0);
    expect(new Set(refusals.map((r) => r.code))).toEqual(new Set(["SERVICE_UNAVAILABLE"]));
    for (const { message } of refusals) expect(message).not.toMatch(/ECONN|terminat|postgres|pg_|57P|at .*\.js/i);

    // Nothing lost: every order accepted (and any committed whose answer was lost) completes.
    db = createDb({ connectionString: databaseUrl, max: 2 });
    const orders = await db.selectFrom("orders").select("id").execute();
    const ids = orders.map((o) => o.id);
    expect(ids).toEqual(expect.arrayContaining(accepted));
    await vi.waitFor(async () => expect(await countOrders(db!, ids, ["completed"])).toBe(ids.length), { timeout: 90_000, interval: 250 });
    expect(alive(api)).toBe(true);
    expect(alive(worker.process)).toBe(true);
    console.info(`postgres restart: ${accepted.length} orders accepted (${accepted.length - atRestart} after the restart), ${refusals.length} calls refused with 503`);
  });
});
