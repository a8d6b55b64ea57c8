import { randomBytes } from "node:crypto";
import { freePort } from "./ports";
import { type AppProcess, startTs, waitForHttp } from "./processes";

export interface ApiProcess extends AppProcess {
  url: string;
  /** The provider's bootstrap API key: an authenticated caller with full reach. */
  apiKey: string;
}

/**
 * The API as it ships (apps/api/src/main.ts: migrate, bootstrap, listen) in its own process over
 * the given database. Logging at warn: per-request info lines would be a cost of the terminal
 * pipe, the same for the benchmark and its baseline.
 */
export async function startApiProcess(opts: {
  databaseUrl: string;
  redisUrl?: string;
  nodeFlags?: string[];
  env?: Record<string, string>;
}): Promise<ApiProcess> {
  const port = await freePort();
  const apiKey = `bench_${randomBytes(24).toString("base64url")}`;
  const app = startTs(
    "apps/api/src/main.ts",
    {
      DATABASE_URL: opts.databaseUrl,
      ...(opts.redisUrl ? { REDIS_URL: opts.redisUrl } : {}),
      PORT: String(port),
      HOST: "127.0.0.1",
      LOG_LEVEL: "warn",
      CANOPY_BOOTSTRAP_API_KEY: apiKey,
      CANOPY_ADMIN_EMAIL: "admin@bench.test",
      CANOPY_ADMIN_PASSWORD: "bench-admin-password",
      // The rate limiter runs as it ships (a Redis round trip per call) with a budget no load here
      // reaches: its cost is measured, its refusals would only end the benchmark (#1b: without it).
      RATE_LIMIT_PER_MINUTE: "1000000000",
      RATE_LIMIT_ANONYMOUS_PER_MINUTE: "1000000000",
      ...opts.env,
    },
    opts.nodeFlags,
  );
  const url = `http://127.0.0.1:${port}`;
  await waitForHttp(`${url}/healthz`, app);
  return { ...app, url, apiKey };
}
