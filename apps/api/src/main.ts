import { createDb, ensureDatabase, migrateToLatest } from "@canopy/db";
import { ActorCache, bootstrapPlatform } from "@canopy/domain/identity";
import { listenForEvents } from "@canopy/domain/messaging";
import { watchCredentialChanges } from "./actors";
import { connectorSettingsOf, loadConfig, webhookSettingsOf } from "./config";
import { openQueues } from "./queues";
import { rateLimitConnection } from "./rate-limit";
import { buildServer } from "./server";

const config = loadConfig();
await ensureDatabase(config.DATABASE_URL);
const db = createDb({ connectionString: config.DATABASE_URL, applicationName: "canopy-api" });
await migrateToLatest(db);
const boot = await bootstrapPlatform(db, {
  adminEmail: config.CANOPY_ADMIN_EMAIL,
  adminPassword: config.CANOPY_ADMIN_PASSWORD,
  apiKey: config.CANOPY_BOOTSTRAP_API_KEY,
});

const queues = openQueues({ url: config.REDIS_URL, prefix: config.WORKER_QUEUE_PREFIX });
const logger = {
  level: config.LOG_LEVEL,
  ...(config.LOG_PRETTY && {
    transport: {
      target: "pino-pretty",
      options: { colorize: true, singleLine: true, translateTime: "HH:MM:ss.l", ignore: "pid,hostname" },
    },
  }),
};
// Bearer tokens resolved from memory, emptied by Postgres notifications (see actors.ts).
const actors = new ActorCache();
// Its own connection: a rate-limit check must fail fast (and let the call through) while Redis is away.
const rateLimitRedis = rateLimitConnection(config.REDIS_URL);
const rateLimit =
  config.RATE_LIMIT_PER_MINUTE > 0
    ? {
        redis: rateLimitRedis,
        perMinute: config.RATE_LIMIT_PER_MINUTE,
        anonymousPerMinute: config.RATE_LIMIT_ANONYMOUS_PER_MINUTE || config.RATE_LIMIT_PER_MINUTE,
      }
    : undefined;
// One LISTEN for the whole process wakes every open event stream (events.stream).
const eventWakeups = listenForEvents(config.DATABASE_URL, (error) =>
  app.log.warn({ err: error }, "event notifications lost: streams poll until they are back"),
);
const app = await buildServer({
  db,
  webhooks: webhookSettingsOf(config),
  logger,
  queues,
  actors,
  trustProxy: config.TRUST_PROXY,
  connectors: connectorSettingsOf(config),
  panelDir: config.PANEL_DIR,
  secureCookie: config.SESSION_COOKIE_SECURE,
  rateLimit,
  eventWakeups,
  httpSecrets: config.CONNECTOR_HTTP_SECRETS,
  validateOutput: config.API_VALIDATE_OUTPUT,
});
const credentialChanges = watchCredentialChanges(config.DATABASE_URL, actors, (error) =>
  app.log.warn({ err: error }, "credential change notifications lost: authenticating every request until they are back"),
);
await app.listen({ port: config.PORT, host: config.HOST });
if (boot.firstAdmin) {
  // Printed once, on the start that created the admin; never logged again.
  process.stdout.write(
    `\nFirst provider admin: ${boot.firstAdmin.email}` +
      (boot.firstAdmin.generated ? ` / password: ${boot.firstAdmin.password}  (shown once; change it with users.setPassword)\n\n` : "\n\n"),
  );
}

let stopping = false;
async function shutdown(signal: string) {
  if (stopping) return;
  stopping = true;
  app.log.info({ signal }, "shutting down");
  await app.close();
  await credentialChanges.close();
  await eventWakeups.close();
  await queues.close();
  await rateLimitRedis.quit().catch(() => rateLimitRedis.disconnect());
  await db.destroy();
  process.exit(0);
}
process.on("SIGINT", () => void shutdown("SIGINT"));
process.on("SIGTERM", () => void shutdown("SIGTERM"));
