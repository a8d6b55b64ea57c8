import { randomBytes } from "node:crypto";
import { createServer, type IncomingMessage } from "node:http";
import type { AddressInfo, Socket } from "node:net";
import { publishedProduct, type Serve, startApi } from "@canopy/api/testing";
import { sql } from "@canopy/db";
import { webhookSettings } from "@canopy/domain/messaging";
import { buildServer } from "@canopy/server/server";
import { startWorker } from "@canopy/worker";
import pino from "pino";
import { distDir } from "../build";
import { WEB_TEST_PREFIX } from "./test-prefix";

/** A request that opened the panel's event stream (events.stream over SSE), as the host received it. */
export interface StreamRequest {
  /** The event id the stream resumes after, as tRPC sends it: in the input, or as Last-Event-ID. */
  lastEventId: string | undefined;
  hasCookie: boolean;
  socket: Socket;
}

function streamRequest(req: IncomingMessage): StreamRequest {
  const input = new URL(req.url ?? "/", "http://host").searchParams.get("input");
  const fromInput = input ? (JSON.parse(input) as { lastEventId?: string }).lastEventId : undefined;
  const header = req.headers["last-event-id"];
  return {
    lastEventId: fromInput ?? (typeof header === "string" ? header : undefined),
    hasCookie: req.headers.cookie?.includes("canopy_session=") ?? false,
    socket: req.socket,
  };
}

/** Every event stream the panel opened, oldest first: the live tests read them and cut them. */
const streamRequests: StreamRequest[] = [];

/** The real host: Fastify, the buffered tRPC transport, the session routes, the CSRF check, the panel's files. */
const serveHost: Serve = async ({ db, webhooks }) => {
  const app = await buildServer({ db, webhooks, panelDir: distDir });
  app.server.on("request", (req: IncomingMessage) => {
    if (req.url?.startsWith("/trpc/events.stream")) streamRequests.push(streamRequest(req));
  });
  await app.listen({ port: 0, host: "127.0.0.1" });
  return { url: `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`, close: () => app.close() };
};

/**
 * The whole platform for the browser tests: the API host serving the built panel on a free
 * port over a database of this file's own, the worker in this process on its own BullMQ
 * prefix, both on the local PostgreSQL and Redis; webhooks may go to local receivers.
 */
export async function startStack(opts: { webhookRetryScale?: number } = {}) {
  // `webhookRetryScale` shrinks the webhook retry schedule (8 attempts over about 27 hours at 1)
  // for tests that watch a delivery give up.
  const settings = webhookSettings({ allowPrivateUrls: true, retryScale: opts.webhookRetryScale });
  const api = await startApi({ webhooks: settings, serve: serveHost });
  const worker = await startWorker({
    db: api.db,
    databaseUrl: api.databaseUrl,
    redisUrl: process.env.REDIS_URL ?? "redis://127.0.0.1:6379",
    prefix: `${WEB_TEST_PREFIX}${randomBytes(6).toString("hex")}`,
    logger: pino({ level: "silent" }),
    attempts: 3,
    backoff: { baseMs: 50, maxMs: 400 },
    relay: { safetyPollMs: 1000 },
    webhooks: { settings, sweepIntervalMs: 200 },
  });

  let seq = 0;
  const password = () => `pw-${randomBytes(9).toString("base64url")}`;

  /** A user of the account with a password, created by the provider. */
  async function person(accountId: string, role: "admin" | "service", name: string) {
    const secret = password();
    const email = `${name.toLowerCase().replace(/\W+/g, ".")}.${(seq++).toString(36)}${randomBytes(2).toString("hex")}@example.com`;
    const user = await api.provider.users.create.mutate({ accountId, role, email, name, password: secret });
    return { user, email, password: secret };
  }

  /** A published product on the demo connector (the worker provisions it at once). */
  function product(name: string, amount = 1250) {
    return publishedProduct(api, { mpn: `WEB-${api.unique()}`.toUpperCase(), name, msrp: { amount, currency: "USD" } });
  }

  /**
   * A published product on the http connector, whose signing secret this worker is not given
   * (CONNECTOR_HTTP_SECRETS): every order for it fails, as a misconfigured product's would.
   */
  function failingProduct(name: string) {
    return publishedProduct(api, {
      mpn: `WEB-${api.unique()}`.toUpperCase(),
      name,
      connector: "http",
      connectorConfig: { url: "http://127.0.0.1:9/isv" },
      msrp: { amount: 900, currency: "USD" },
    });
  }

  /** Ends every session of the user now, as the passing of twelve hours would. */
  async function expireSessions(userId: string) {
    await sql`update sessions set expires_at = now() - interval '1 second' where user_id = ${userId}`.execute(api.db);
  }

  /** Cuts every open event stream, as a network drop would; the panel is to reconnect by itself. */
  function dropStreams() {
    for (const { socket } of streamRequests) socket.destroy();
  }

  return {
    api,
    url: api.url,
    person,
    product,
    failingProduct,
    expireSessions,
    streamRequests,
    dropStreams,
    async close() {
      await worker.close();
      await api.close();
    },
  };
}

export type Stack = Awaited<ReturnType<typeof startStack>>;

/** Another origin on the same site (127.0.0.1, another port): a page a forger would control. */
export async function startForeignSite() {
  const server = createServer((_req, res) =>
    res.writeHead(200, { "content-type": "text/html" }).end("<!doctype html><title>elsewhere</title>"),
  );
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
