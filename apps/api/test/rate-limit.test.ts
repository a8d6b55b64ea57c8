import { randomBytes } from "node:crypto";
import type { AddressInfo } from "node:net";
import type { AppRouter } from "@canopy/api";
import { type Api, type Serve, startApi } from "@canopy/api/testing";
import { createTRPCClient, httpLink, TRPCClientError } from "@trpc/client";
import { Redis } from "ioredis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { rateLimitConnection } from "../src/rate-limit";
import { buildServer } from "../src/server";
import { TEST_PREFIX } from "./redis-cleanup";

// Budgets per credential and per anonymous address, kept in Redis (issue 13, item 4).
const nameSpace = `${TEST_PREFIX}rl-${randomBytes(6).toString("hex")}:`;
const redisUrl = process.env.REDIS_URL ?? "redis://127.0.0.1:6379";
/** For looking at the keys; the API's limiter has its own connection, as it ships (auto-pipelined, failing fast). */
const redis = new Redis(redisUrl);
const limiterRedis = rateLimitConnection(redisUrl);
const PER_MINUTE = 8;
const ANONYMOUS = 4;

const serveLimited =
  (connection: Redis): Serve =>
  async ({ db, webhooks, connectors }) => {
    const app = await buildServer({
      db,
      webhooks,
      connectors,
      rateLimit: { redis: connection, nameSpace, perMinute: PER_MINUTE, anonymousPerMinute: ANONYMOUS },
    });
    await app.listen({ port: 0, host: "127.0.0.1" });
    return { url: `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`, close: () => app.close() };
  };

let api: Api;
beforeAll(async () => {
  api = await startApi({ serve: serveLimited(limiterRedis) });
});
afterAll(async () => {
  await api?.close();
  limiterRedis.disconnect();
  const keys = await redis.keys(`${nameSpace}*`);
  if (keys.length) await redis.del(...keys);
  await redis.quit();
});

const call = (path: string, token?: string) => fetch(`${api.url}${path}`, { headers: token ? { authorization: `Bearer ${token}` } : {} });

describe("rate limits", () => {
  it("answers a burst past the budget with 429 TOO_MANY_REQUESTS in the tRPC shape, with Retry-After and RateLimit-* headers", async () => {
    const { key } = await api.account("reseller");
    const answers = [];
    for (let i = 0; i < PER_MINUTE + 3; i++) answers.push(await call("/trpc/accounts.list", key));
    expect(answers.slice(0, PER_MINUTE).map((r) => r.status)).toEqual(Array(PER_MINUTE).fill(200));
    expect(answers[0]!.headers.get("ratelimit-limit")).toBe(String(PER_MINUTE));
    expect(answers[0]!.headers.get("ratelimit-remaining")).toBe(String(PER_MINUTE - 1));
    const refused = answers[PER_MINUTE]!;
    expect(refused.status).toBe(429);
    expect(refused.headers.get("ratelimit-limit")).toBe(String(PER_MINUTE));
    expect(refused.headers.get("ratelimit-remaining")).toBe("0");
    const retryAfter = Number(refused.headers.get("retry-after"));
    expect(retryAfter).toBeGreaterThan(0);
    expect(retryAfter).toBeLessThanOrEqual(60);
    expect(Number(refused.headers.get("ratelimit-reset"))).toBe(retryAfter);
    const body = (await refused.json()) as { error: { code: number; message: string; data: { code: string; httpStatus: number } } };
    expect(body.error).toMatchObject({ code: -32029, data: { code: "TOO_MANY_REQUESTS", httpStatus: 429, path: "accounts.list" } });
    // the same keys as any other tRPC error's data, e.g. invalid input (another key: this one's budget is spent)
    const { key: other } = await api.account("reseller");
    const invalid = (await (await call(`/trpc/accounts.get?input=${encodeURIComponent("{}")}`, other)).json()) as typeof body;
    expect(invalid.error.data.code).toBe("BAD_REQUEST");
    expect(Object.keys(body.error.data).sort()).toEqual(Object.keys(invalid.error.data).sort());
    expect(body.error.data).toMatchObject({ fieldErrors: null, zodError: null });

    // the typed client reads it like any tRPC error; a batch gets one error per call
    const client = createTRPCClient<AppRouter>({
      links: [httpLink({ url: `${api.url}/trpc`, headers: { authorization: `Bearer ${key}` } })],
    });
    const error = await client.accounts.list.query({}).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TRPCClientError);
    expect((error as TRPCClientError<AppRouter>).data?.code).toBe("TOO_MANY_REQUESTS");
    const batch = (await (await call("/trpc/accounts.list,products.list?batch=1", key)).json()) as unknown[];
    expect(batch).toHaveLength(2);

    // the token itself is never a Redis key: only its hash
    const keys = await redis.keys(`${nameSpace}*`);
    expect(keys.some((k) => k.includes(key))).toBe(false);
  });

  it("leaves another API key its own budget", async () => {
    const { key } = await api.account("customer");
    expect((await call("/trpc/accounts.list", key)).status).toBe(200);
  });

  it("limits calls without credentials per client address, and never /healthz, /readyz or /metrics", async () => {
    const statuses = [];
    for (let i = 0; i < ANONYMOUS + 1; i++) statuses.push((await call("/trpc/products.list")).status);
    expect(statuses.slice(0, ANONYMOUS).every((s) => s !== 429)).toBe(true);
    expect(statuses[ANONYMOUS]).toBe(429);
    for (let i = 0; i < 3 * PER_MINUTE; i++) {
      for (const path of ["/healthz", "/readyz", "/metrics"]) {
        const response = await call(path);
        expect(response.status, path).toBe(200);
        expect(response.headers.get("ratelimit-limit")).toBeNull();
      }
    }
    // a REST-style path gets the plain shape
    const other = await call("/api/v1/anything");
    expect(other.status).toBe(429);
    expect(await other.json()).toMatchObject({ error: { code: "TOO_MANY_REQUESTS" } });
  });
  it("counts concurrent calls exactly: their checks share Redis writes, each is still its own", async () => {
    const { key } = await api.account("customer");
    const statuses = await Promise.all(Array.from({ length: PER_MINUTE + 4 }, async () => (await call("/trpc/auth.whoami", key)).status));
    expect(statuses.filter((s) => s === 200)).toHaveLength(PER_MINUTE);
    expect(statuses.filter((s) => s === 429)).toHaveLength(4);
  });

  it("lets calls through while Redis is away", async () => {
    // Nothing listens there: the limiter's connection never comes up.
    const away = rateLimitConnection("redis://127.0.0.1:1");
    const lonely = await startApi({ serve: serveLimited(away) });
    try {
      const statuses = await Promise.all(
        Array.from(
          { length: PER_MINUTE + 2 },
          async () =>
            (await fetch(`${lonely.url}/trpc/auth.whoami`, { headers: { authorization: `Bearer ${lonely.providerKey}` } })).status,
        ),
      );
      expect(statuses).toEqual(Array(PER_MINUTE + 2).fill(200));
    } finally {
      await lonely.close();
      away.disconnect();
    }
  });
});
