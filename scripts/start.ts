// `npm start`: the whole platform on this machine with no configuration. Migrates, then runs
// the API and the worker with their logs interleaved, on an embedded PostgreSQL when
// DATABASE_URL is unset and a private Redis when none answers. Ctrl-C stops everything in order.
import { existsSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { createDb, ensureDatabase, migrateToLatest } from "@canopy/db";
import { DEMO_PRODUCT_MPN, ensureDemoCatalog } from "@canopy/domain/catalog";
import { bootstrapPlatform } from "@canopy/domain/identity";
import { ensurePanelBuilt } from "@canopy/web/build";
import { loadScriptConfig } from "./config";
import { credentialsPath, loadOrCreateCredentials, newQueuePrefix, writeCredentials } from "./lib/credentials";
import { startEmbeddedPostgres } from "./lib/embedded-postgres";
import { acquireInstanceLock, type InstanceLock } from "./lib/instance-lock";
import { freePort, isPortFree } from "./lib/ports";
import { labelled, type Service, startService } from "./lib/processes";
import { DEFAULT_REDIS_URL, REDIS_MISSING, redisAnswers, startPrivateRedis } from "./lib/redis";

const DEFAULT_WORKER_METRICS_PORT = 9464;
const root = resolve(dirname(fileURLToPath(import.meta.url)), "..");
/** A path as short as it reads well: relative inside the project, absolute outside it. */
const shown = (path: string) => (relative(root, path).startsWith("..") ? path : relative(root, path));
const config = loadScriptConfig();
const say = labelled("start", config.pretty);
const bold = (text: string) => (config.pretty ? `\x1b[1m${text}\x1b[0m` : text);

/** What to stop on the way out, last started first: services, then Redis, then Postgres. */
const teardown: { name: string; stop: () => Promise<void>; stopNow: () => void }[] = [];
const services: Service[] = [];
let stopping = false;
/** The generated admin password is shown once: on the way out too, should the start fail after creating it. */
let unshownFirstAdmin: string | undefined;
/** Held from the first step to the last: a second start on this data folder refuses (lib/instance-lock.ts). */
let lock: InstanceLock | undefined;

async function shutdown(code: number, reason?: string): Promise<never> {
  if (!stopping) {
    stopping = true;
    if (reason) say(reason);
    if (unshownFirstAdmin) say(unshownFirstAdmin);
    await Promise.all(services.map((service) => service.stop()));
    // Each is taken off the list once stopped; should we die meanwhile, the exit hook stops the rest.
    for (let last = teardown.at(-1); last; last = teardown.at(-1)) {
      await last.stop().catch((error: Error) => say(`could not stop ${last?.name}: ${error.message}`));
      teardown.pop();
    }
    lock?.releaseNow();
    say("stopped");
    process.exit(code);
  }
  return new Promise<never>(() => {}); // a second signal waits for the first shutdown
}
for (const signal of ["SIGINT", "SIGTERM", "SIGHUP"] as const) {
  process.on(signal, () => void shutdown(0, `${signal}: stopping the API and worker, then the services`));
}
// A closed terminal or pipe must not crash us halfway through stopping everything.
process.stdout.on("error", () => {});
process.stderr.on("error", () => {});
process.on("uncaughtException", (error) => void shutdown(1, `unexpected error: ${error.message}`));
// Should this process die anyway, nothing it started may outlive it: the children hold the
// port, and the databases run in sessions of their own.
process.on("exit", () => {
  for (const { child } of services) if (child.exitCode === null) child.kill("SIGKILL");
  for (const { stopNow } of teardown.splice(0).reverse()) stopNow();
  lock?.releaseNow();
});

async function main() {
  const { dataDir } = config;
  // First of all: a second start on this folder must refuse before it touches anything.
  lock = await acquireInstanceLock(dataDir);
  const { credentials, created } = await loadOrCreateCredentials(dataDir);
  credentials.queuePrefix ??= newQueuePrefix();
  const listenHost = config.HOST === "0.0.0.0" ? "0.0.0.0" : "127.0.0.1";
  if (!(await isPortFree(config.PORT, listenHost))) {
    throw new Error(`port ${config.PORT} (PORT, the API) is taken: stop what listens there, or run with PORT=<another port>`);
  }
  const workerMetricsPort = await chooseWorkerMetricsPort(config.WORKER_METRICS_PORT, listenHost);

  // PostgreSQL: DATABASE_URL, else the embedded cluster.
  let databaseUrl = config.DATABASE_URL;
  let databaseWhere = databaseUrl ? redactUrl(databaseUrl) : "";
  if (!databaseUrl) {
    const port = await freePort(credentials.postgres.port ?? 54329);
    const postgres = await startEmbeddedPostgres({
      dataDir: join(dataDir, "postgres"),
      port,
      password: credentials.postgres.password,
      log: say,
    });
    teardown.push({ name: "the embedded PostgreSQL", stop: () => postgres.stop(), stopNow: () => postgres.stopNow() });
    credentials.postgres.port = postgres.port;
    databaseUrl = postgres.url("canopy");
    databaseWhere = `embedded PostgreSQL on 127.0.0.1:${postgres.port} (data in ${shown(postgres.dataDir)})`;
  }

  // Redis: REDIS_URL, else the default address, else a private redis-server.
  let redisUrl = config.REDIS_URL ?? DEFAULT_REDIS_URL;
  let redisWhere = redactUrl(redisUrl);
  if (!(await redisAnswers(redisUrl))) {
    if (config.REDIS_URL) throw new Error(`no Redis answers at REDIS_URL=${redactUrl(config.REDIS_URL)}`);
    const redis = await startPrivateRedis(dataDir);
    if (!redis) throw new Error(REDIS_MISSING);
    teardown.push({ name: "the private Redis", stop: () => redis.stop(), stopNow: () => redis.stopNow() });
    redisUrl = redis.url;
    redisWhere = `private redis-server at ${redis.url} (data in ${shown(join(dataDir, "redis"))})`;
  }

  // The user panel the API serves at `/`: built now when missing or older than its sources.
  if ((await ensurePanelBuilt(say)) === "built") say("user panel built (apps/web/dist)");

  // Schema and the provider before anything serves, so the API and worker never race for them.
  await ensureDatabase(databaseUrl);
  const db = createDb({ connectionString: databaseUrl, max: 1, applicationName: "canopy-start" });
  try {
    const applied = await migrateToLatest(db);
    say(applied.length ? `migrated: ${applied.join(", ")}` : "schema up to date");
    const apiKey = config.CANOPY_BOOTSTRAP_API_KEY ?? credentials.bootstrapApiKey;
    const { firstAdmin, providerId } = await bootstrapPlatform(db, {
      apiKey,
      adminEmail: config.CANOPY_ADMIN_EMAIL,
      adminPassword: config.CANOPY_ADMIN_PASSWORD,
    });
    credentials.bootstrapApiKey = apiKey;
    if (config.CANOPY_DEMO_DATA && (await ensureDemoCatalog(db, providerId)) === "created") {
      say(`demo data: product ${DEMO_PRODUCT_MPN} created and published (CANOPY_DEMO_DATA=false to go without)`);
    }
    if (firstAdmin) {
      unshownFirstAdmin =
        `  First admin  ${bold(firstAdmin.email)}` +
        (firstAdmin.generated
          ? ` / password: ${bold(firstAdmin.password)}   (shown this once; change it with users.setPassword)`
          : " (password from CANOPY_ADMIN_PASSWORD)");
    }
  } finally {
    await db.destroy();
  }

  const apiUrl = `http://localhost:${config.PORT}`;
  const workerMetricsUrl = `http://localhost:${workerMetricsPort}/metrics`;
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    DATABASE_URL: databaseUrl,
    REDIS_URL: redisUrl,
    PORT: String(config.PORT),
    HOST: config.HOST,
    WORKER_METRICS_PORT: String(workerMetricsPort),
    WORKER_METRICS_HOST: config.HOST,
    // Queues of their own: another Canopy on the same Redis (a second clone) must not take our jobs.
    WORKER_QUEUE_PREFIX: config.WORKER_QUEUE_PREFIX ?? credentials.queuePrefix,
    CANOPY_BOOTSTRAP_API_KEY: credentials.bootstrapApiKey,
    // A local start delivers webhooks to local receivers (the demo's); production leaves it off.
    WEBHOOK_ALLOW_PRIVATE_URLS: config.WEBHOOK_ALLOW_PRIVATE_URLS ?? "true",
    LOG_PRETTY: config.pretty ? "true" : "false",
  };
  services.push(startService({ name: "api", entry: "apps/api/src/main.ts", env, cwd: root, pretty: config.pretty }));
  const hasWorker = existsSync(join(root, "apps/worker/src/main.ts"));
  if (hasWorker) services.push(startService({ name: "worker", entry: "apps/worker/src/main.ts", env, cwd: root, pretty: config.pretty }));
  else say("apps/worker/src/main.ts does not exist yet: running the API alone");
  for (const service of services) {
    void service.exited.then((code) => shutdown(1, `the ${service.name} exited (code ${code}): stopping the rest`));
  }

  // Ready means both: the API answers /readyz and the worker its health check.
  await Promise.all([
    waitUntilReady(`http://127.0.0.1:${config.PORT}/readyz`),
    hasWorker ? waitUntilReady(`http://127.0.0.1:${workerMetricsPort}/healthz`) : undefined,
  ]);
  if (stopping) return;
  await writeCredentials(dataDir, { ...credentials, apiUrl, workerMetricsUrl: hasWorker ? workerMetricsUrl : undefined });

  const lines = [
    "",
    bold("Canopy is running"),
    `  Panel        ${apiUrl}/   (sign in with a user's email and password)`,
    `  API          ${apiUrl}/trpc   (typed client: @canopy/sdk createCanopyClient)`,
    `  REST         ${apiUrl}/api/v1   (OpenAPI 3.1: ${apiUrl}/api/v1/openapi.json)`,
    `  Reference    ${apiUrl}/docs   (every REST operation, try it in the browser)`,
    `  Dashboard    ${apiUrl}/admin/queues   (provider admins: email + password, or the API key as password)`,
    `  Metrics      ${apiUrl}/metrics${hasWorker ? `   worker: ${workerMetricsUrl}` : ""}`,
    `  Health       ${apiUrl}/healthz   ${apiUrl}/readyz`,
    `  Database     ${databaseWhere}`,
    `  Redis        ${redisWhere}`,
    `  API key      the provider's, in ${shown(credentialsPath(dataDir))}${created ? " (generated now)" : ""}; \`npm run demo\` uses it`,
  ];
  if (unshownFirstAdmin) lines.push(unshownFirstAdmin);
  unshownFirstAdmin = undefined;
  lines.push("  Ctrl-C stops everything.", "");
  for (const line of lines) say(line);
}

/**
 * The worker's metrics port: WORKER_METRICS_PORT when set (refused clearly when taken, like PORT);
 * unset, 9464 or, when something else holds 9464, a free port (shown in the banner).
 */
async function chooseWorkerMetricsPort(wanted: number | undefined, host: string): Promise<number> {
  if (wanted !== undefined) {
    if (await isPortFree(wanted, host)) return wanted;
    throw new Error(
      `port ${wanted} (WORKER_METRICS_PORT, the worker's metrics) is taken: stop what listens there, or run with WORKER_METRICS_PORT=<another port>`,
    );
  }
  if (await isPortFree(DEFAULT_WORKER_METRICS_PORT, host)) return DEFAULT_WORKER_METRICS_PORT;
  const port = await freePort();
  say(`port ${DEFAULT_WORKER_METRICS_PORT} is taken: the worker's metrics are on port ${port} instead`);
  return port;
}

async function waitUntilReady(url: string) {
  const deadline = Date.now() + 120_000;
  while (Date.now() < deadline) {
    if (stopping) return;
    const ok = await fetch(url).then(
      (response) => response.ok,
      () => false,
    );
    if (ok) return;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error(`no ready answer from ${url} within two minutes`);
}

/** A connection URL with its password masked, for printing. */
function redactUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = "***";
    return parsed.toString();
  } catch {
    return "(unparsable URL)";
  }
}

main().catch((error: Error) => shutdown(1, `could not start: ${error.message}`));
