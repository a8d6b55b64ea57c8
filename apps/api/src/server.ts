import type { Db } from "@canopy/db";
import { sql } from "@canopy/db";
import { type FastifyTRPCPluginOptions, fastifyTRPCPlugin } from "@trpc/server/adapters/fastify";
import Fastify, { type FastifyInstance } from "fastify";
import type { WebhookSettings } from "@canopy/domain";
import { createContextFromHeader } from "./context";
import { type AppRouter, appRouter } from "./router";

export interface ServerOptions {
  db: Db;
  logger?: boolean | object;
  /** Webhook configuration (sealing key, SSRF allowance, timeout); development defaults when absent. */
  webhooks?: WebhookSettings;
}

/** Builds the HTTP host: tRPC at /trpc and the health endpoints. Transport only. */
export async function buildServer({ db, webhooks, logger = false }: ServerOptions): Promise<FastifyInstance> {
  const app = Fastify({
    logger,
    // Batched GET calls put every procedure name in the path.
    routerOptions: { maxParamLength: 5000 },
    bodyLimit: 1024 * 1024,
    genReqId: (req) => (req.headers["x-request-id"] as string | undefined)?.slice(0, 64) || crypto.randomUUID(),
  });

  await app.register(fastifyTRPCPlugin, {
    prefix: "/trpc",
    trpcOptions: {
      router: appRouter,
      createContext: ({ req }) => createContextFromHeader(db, req.headers.authorization, webhooks),
      onError({ error, path, req }) {
        if (error.code === "INTERNAL_SERVER_ERROR") req.log.error({ err: error.cause ?? error, path }, "procedure failed");
      },
    } satisfies FastifyTRPCPluginOptions<AppRouter>["trpcOptions"],
  });

  app.get("/healthz", async () => ({ ok: true }));
  app.get("/readyz", async (_req, reply) => {
    try {
      await sql`select 1`.execute(db);
      return { ok: true };
    } catch {
      return reply.code(503).send({ ok: false, postgres: "unreachable" });
    }
  });
  return app;
}
