import type { Socket } from "node:net";
import { type Db, isReachable } from "@canopy/db";
import Fastify, { type FastifyInstance } from "fastify";
import type { ActorCache } from "@canopy/domain/identity";
import type { EventWakeups, WebhookSettings } from "@canopy/domain/messaging";
import { registerDashboard } from "./dashboard";
import { registerMetrics } from "./metrics";
import type { QueueHandles } from "./queues";
import { type AppRouter, appRouter, createContextFromHeader } from "@canopy/api";
import { eventsStreamRoute } from "./rest/events-stream";
import { registerReference } from "./rest/reference";
import { restApi } from "./rest/rest-api";
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
  /** Wakes event streams when events commit (one LISTEN for the process); streams poll without it. */
  eventWakeups?: EventWakeups;
}

/** Builds the HTTP host: tRPC at /trpc and the health endpoints. Transport only. */
export async function buildServer({ db, webhooks, logger = false, queues, actors, eventWakeups }: ServerOptions): Promise<FastifyInstance> {
  const app = Fastify({
    logger,
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
  registerMetrics(app, { procedures: new Set(Object.keys(appRouter._def.procedures)), queues });

  // tRPC's own request resolver with buffered I/O instead of its web-stream adapter (see trpc-http.ts).
  const streams = new Set<Socket>();
  const restStreams = new Set<() => void>();
  const trpcOptions: TrpcHttpOptions<AppRouter> = {
    router: appRouter,
    createContext: ({ req }) => createContextFromHeader(db, req.headers.authorization, webhooks, actors, eventWakeups),
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
      restApi(scope, { router: appRouter, createContext, onError: trpcOptions.onError });
      eventsStreamRoute(scope, { router: appRouter, createContext, streams: restStreams });
    },
    { prefix: "/api/v1" },
  );
  registerReference(app);
  // Open event streams would hold app.close() forever: end them first.
  app.addHook("preClose", async () => {
    for (const stop of restStreams) stop();
    for (const socket of streams) socket.destroy();
  });

  app.get("/healthz", async () => ({ ok: true }));
  app.get("/readyz", async (_req, reply) => {
    const [postgres, redis] = await Promise.all([
      isReachable(db),
      queues ? queues.ping() : true,
    ]);
    const status = { postgres: postgres ? "ok" : "unreachable", ...(queues && { redis: redis ? "ok" : "unreachable" }) };
    return reply.code(postgres && redis ? 200 : 503).send({ ok: postgres && redis, ...status });
  });
  if (queues) await registerDashboard(app, { db, queues });
  return app;
}
