import type { Socket } from "node:net";
import { type AppRouter, appRouter, createContextFromHeaders, MAX_BATCH_CALLS, withoutOutputValidation } from "@canopy/api";
import { type Db, isReachable } from "@canopy/db";
import type { ConnectorSettings } from "@canopy/domain/catalog";
import type { ActorCache } from "@canopy/domain/identity";
import type { EventWakeups, WebhookSettings } from "@canopy/domain/messaging";
import Fastify, { type FastifyInstance } from "fastify";
import { registerCsrfCheck } from "./csrf";
import { registerDashboard } from "./dashboard";
import { registerIsvUsage } from "./isv-usage";
import { registerMetrics } from "./metrics";
import { registerPanel } from "./panel";
import type { QueueHandles } from "./queues";
import { type RateLimitOptions, registerRateLimit } from "./rate-limit";
import { eventsStreamRoute } from "./rest/events-stream";
import { registerReference } from "./rest/reference";
import { restApi } from "./rest/rest-api";
import { registerSessionRoutes } from "./session";
import { type TrpcHttpOptions, trpcHttp } from "./trpc-http";

export interface ServerOptions {
  db: Db;
  logger?: boolean | object;
  /** Webhook configuration (sealing key, SSRF allowance, timeout); development defaults when absent. */
  webhooks?: WebhookSettings;
  /** The worker's queues (needs Redis): enables the dashboard, queue metrics and Redis in /readyz. */
  queues?: QueueHandles;
  /** Resolves bearer tokens from memory (see actors.ts); every request queries Postgres when absent. */
  actors?: ActorCache;
  /**
   * Which proxies' X-Forwarded-For to believe for the client address (the login throttle keys
   * on it): Fastify's `trustProxy` (true, or the proxies' addresses/CIDRs). Default: none.
   */
  trustProxy?: boolean | string[];
  /** The connectors the platform runs and the http secret refs it has (config); tests' defaults when absent. */
  connectors?: ConnectorSettings;
  /** The built user panel (apps/web/dist), served at `/`; no panel when absent. */
  panelDir?: string;
  /** Marks the session cookie Secure even when no proxy says the request came over TLS. */
  secureCookie?: boolean;
  /** Request budgets (rate-limit.ts); none when absent. */
  rateLimit?: RateLimitOptions;
  /** Wakes event streams when events commit (one LISTEN for the process); streams poll without it. */
  eventWakeups?: EventWakeups;
  /** The http connectors' signing secrets by secretRef: they authenticate ISVs' usage callbacks (none accepted when absent). */
  httpSecrets?: Readonly<Record<string, string>>;
  /**
   * Whether procedures parse their results with their output schemas (default true; config
   * API_VALIDATE_OUTPUT). The OpenAPI document keeps its response schemas either way.
   */
  validateOutput?: boolean;
}

/** Builds the HTTP host: tRPC at /trpc, the health endpoints, the panel's session routes and files. Transport only. */
export async function buildServer({
  db,
  webhooks,
  logger = false,
  queues,
  actors,
  trustProxy = false,
  connectors,
  panelDir,
  secureCookie,
  rateLimit,
  eventWakeups,
  httpSecrets = {},
  validateOutput = true,
}: ServerOptions): Promise<FastifyInstance> {
  const app = Fastify({
    logger,
    trustProxy,
    // Batched GET calls put every procedure name in the path.
    routerOptions: { maxParamLength: 5000 },
    bodyLimit: 1024 * 1024,
    genReqId: (req) => (req.headers["x-request-id"] as string | undefined)?.slice(0, 64) || crypto.randomUUID(),
  });
  // The request id (a caller's x-request-id, or one made here) goes back with the answer, so a
  // caller can quote it and an operator can find the request's log lines.
  app.addHook("onRequest", async (request, reply) => {
    reply.header("x-request-id", request.id);
  });
  if (rateLimit) await registerRateLimit(app, rateLimit);
  registerCsrfCheck(app);
  registerMetrics(app, { procedures: new Set(Object.keys(appRouter._def.procedures)), queues });

  // tRPC's own request resolver with buffered I/O instead of its web-stream adapter (see trpc-http.ts).
  const streams = new Set<Socket>();
  const restStreams = new Set<() => void>();
  // The procedures /trpc and /api/v1 serve: the router itself, or the same without output checks.
  const router = validateOutput ? appRouter : withoutOutputValidation(appRouter);
  const trpcOptions: TrpcHttpOptions<AppRouter> = {
    router,
    maxBatchCalls: MAX_BATCH_CALLS,
    // A Bearer header, else the panel's session cookie (whose requests the CSRF check has vetted).
    // req.id is the request id the host echoes as X-Request-Id (the caller's, or one made here).
    createContext: ({ req }) =>
      createContextFromHeaders({
        db,
        headers: { authorization: req.headers.authorization, cookie: req.headers.cookie },
        clientAddress: req.ip,
        requestId: req.id,
        webhooks,
        actors,
        connectors,
        eventWakeups,
      }),
    onError({ error, path, req }) {
      if (error.code === "INTERNAL_SERVER_ERROR") req.log.error({ err: error.cause ?? error, path }, "procedure failed");
    },
  };
  await app.register(
    async (scope) => {
      // A body of another type reaches tRPC, which answers in its own error shape (not Fastify's 415).
      scope.addContentTypeParser("*", { parseAs: "string" }, (_req, body, done) => done(null, body));
      trpcHttp(scope, { ...trpcOptions, streams });
    },
    { prefix: "/trpc" },
  );

  // REST under /api/v1: the same procedures, resource paths, one error shape (see rest/).
  const createContext = trpcOptions.createContext;
  await app.register(
    async (scope) => {
      restApi(scope, { router, createContext, onError: trpcOptions.onError });
      eventsStreamRoute(scope, { router, createContext, streams: restStreams });
    },
    { prefix: "/api/v1" },
  );
  registerReference(app);
  await registerIsvUsage(app, { db, router, httpSecrets });
  // Open event streams would hold app.close() forever: end them first.
  app.addHook("preClose", async () => {
    for (const stop of restStreams) stop();
    for (const socket of streams) socket.destroy();
  });

  app.get("/healthz", async () => ({ ok: true }));
  app.get("/readyz", async (_req, reply) => {
    const [postgres, redis] = await Promise.all([isReachable(db), queues ? queues.ping() : true]);
    const status = { postgres: postgres ? "ok" : "unreachable", ...(queues && { redis: redis ? "ok" : "unreachable" }) };
    return reply.code(postgres && redis ? 200 : 503).send({ ok: postgres && redis, ...status });
  });
  if (queues) await registerDashboard(app, { db, queues });
  registerSessionRoutes(app, { db, secureCookie });
  if (panelDir) await registerPanel(app, { dir: panelDir });
  return app;
}
