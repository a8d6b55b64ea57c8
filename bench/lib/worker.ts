import { randomBytes } from "node:crypto";
import { deleteRedisKeys } from "@canopy/worker/testing";
import { type AppProcess, startTs } from "./processes";

/**
 * The worker as it ships (apps/worker/src/main.ts) in its own process, on a BullMQ prefix of
 * its own (its keys deleted once it has stopped; a prefix given in `env` belongs to whoever chose
 * it), the demo connector at zero latency, webhooks allowed to reach 127.0.0.1.
 */
export function startWorkerProcess(opts: {
  databaseUrl: string;
  redisUrl: string;
  nodeFlags?: string[];
  env?: Record<string, string>;
}): AppProcess & { prefix: string } {
  const prefix = `canopy-bench-${randomBytes(4).toString("hex")}`;
  const app = startTs(
    "apps/worker/src/main.ts",
    {
      DATABASE_URL: opts.databaseUrl,
      REDIS_URL: opts.redisUrl,
      WORKER_QUEUE_PREFIX: prefix,
      DEMO_LATENCY_MS: "0",
      LOG_LEVEL: "warn",
      LOG_PRETTY: "0",
      WORKER_METRICS_PORT: "0",
      WEBHOOK_ALLOW_PRIVATE_URLS: "1",
      ...opts.env,
    },
    opts.nodeFlags,
  );
  const ownsPrefix = opts.env?.WORKER_QUEUE_PREFIX === undefined;
  return {
    ...app,
    prefix,
    async stop() {
      await app.stop();
      if (ownsPrefix) await deleteRedisKeys(opts.redisUrl, `${prefix}:*`);
    },
  };
}
