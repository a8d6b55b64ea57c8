import { randomBytes } from "node:crypto";
import type { AddressInfo } from "node:net";
import type { Db } from "@canopy/db";
import { createTestDatabase } from "@canopy/db/testing";
import type { ConnectorSettings } from "@canopy/domain/catalog";
import { bootstrapPlatform } from "@canopy/domain/identity";
import { listenForEvents, type WebhookSettings, webhookSettings } from "@canopy/domain/messaging";
import { createTRPCClient, httpBatchLink, httpLink, type TRPCClient, TRPCClientError } from "@trpc/client";
import { createHTTPServer } from "@trpc/server/adapters/standalone";
import { createContextFromHeaders } from "../context";
import { MAX_BATCH_CALLS } from "../limits";
import { type AppRouter, appRouter } from "../router";

export type CanopyClient = TRPCClient<AppRouter>;

/** A client of the contract over HTTP, as the SDK builds it (the SDK itself is built on this package). */
function createClient({ url, apiKey, batch = true }: { url: string; apiKey?: string; batch?: boolean }): CanopyClient {
  const options = { url: `${url}/trpc`, headers: () => (apiKey ? { authorization: `Bearer ${apiKey}` } : {}) };
  const link = batch ? httpBatchLink({ ...options, maxItems: MAX_BATCH_CALLS }) : httpLink(options);
  return createTRPCClient<AppRouter>({ links: [link] });
}

/** The tRPC error code of a failed call (NOT_FOUND, CONFLICT, …), or undefined. */
export function errorCode(error: unknown): string | undefined {
  return error instanceof TRPCClientError ? (error.data as { code?: string } | undefined)?.code : undefined;
}

export const ADMIN = { email: "admin@provider.test", password: "correct horse battery staple" };

/** A running HTTP server answering /trpc: its base URL and how to stop it. */
export interface Served {
  url: string;
  close(): Promise<void>;
}

/** Serves the API over a database; the host app passes its real server, others get tRPC's plain Node one. */
export type Serve = (options: {
  db: Db;
  webhooks: WebhookSettings;
  connectors?: ConnectorSettings;
  databaseUrl: string;
}) => Promise<Served>;

const requestIdOf = (header: string | string[] | undefined) =>
  typeof header === "string" && header.length > 0 ? header.slice(0, 64) : null;

/** The router alone on tRPC's standalone Node adapter: enough for clients of the contract (worker, panel tests). */
export const serveStandalone: Serve = async ({ db, webhooks, connectors, databaseUrl }) => {
  const wakeups = listenForEvents(databaseUrl);
  const server = createHTTPServer({
    router: appRouter,
    basePath: "/trpc/",
    // Bearer only (no cookie), and the caller's X-Request-Id when it sent one: the bare adapter makes none.
    createContext: ({ req }) =>
      createContextFromHeaders({
        db,
        headers: { authorization: req.headers.authorization },
        clientAddress: req.socket.remoteAddress ?? "unknown",
        requestId: requestIdOf(req.headers["x-request-id"]),
        webhooks,
        connectors,
        eventWakeups: wakeups,
      }),
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await wakeups.close();
    },
  };
};

/**
 * A real API on a free port over a database of this test file's own, with the provider
 * bootstrapped. Tests talk to it through the published SDK client over HTTP.
 */
export async function startApi(opts: { webhooks?: Partial<WebhookSettings>; serve?: Serve; connectors?: ConnectorSettings } = {}) {
  const database = await createTestDatabase();
  const providerKey = `bootstrap_${randomBytes(24).toString("base64url")}`;
  const boot = await bootstrapPlatform(database.db, { apiKey: providerKey, adminEmail: ADMIN.email, adminPassword: ADMIN.password });
  const served = await (opts.serve ?? serveStandalone)({
    db: database.db,
    webhooks: webhookSettings(opts.webhooks),
    connectors: opts.connectors,
    databaseUrl: database.url,
  });
  const url = served.url;
  const clientFor = (apiKey?: string, opts: { batch?: boolean } = {}) => createClient({ url, apiKey, ...opts });
  const provider = clientFor(providerKey);

  let seq = 0;
  const unique = () => `${Date.now().toString(36)}${(seq++).toString(36)}${randomBytes(2).toString("hex")}`;

  /** Creates an account under `vendor` (default: the provider) and an API key acting for it. */
  async function account(type: "reseller" | "customer", opts: { as?: CanopyClient; vendorId?: string; name?: string } = {}) {
    const by = opts.as ?? provider;
    const created = await by.accounts.create.mutate({
      type,
      name: opts.name ?? `${type} ${unique()}`,
      vendorId: opts.vendorId,
      contact: { email: `${unique()}@example.com` },
      address: { country: "DE" },
    });
    const { secret } = await provider.apiKeys.create.mutate({ name: "test", accountId: created.id });
    return { account: created, client: clientFor(secret), key: secret };
  }

  /** A user of `accountId` with a session, and a client acting as that user. */
  async function user(accountId: string, role: "admin" | "service") {
    const password = `pw-${randomBytes(9).toString("base64url")}`;
    const email = `${role}-${unique()}@example.com`;
    const created = await provider.users.create.mutate({ accountId, role, email, name: `${role} user`, password });
    const session = await clientFor().auth.login.mutate({ email, password });
    return { user: created, email, password, client: clientFor(session.token), token: session.token };
  }

  return {
    url,
    db: database.db,
    /** The test database's connection string (the worker LISTENs on its own connection). */
    databaseUrl: database.url,
    providerId: boot.providerId,
    providerKey,
    provider,
    clientFor,
    account,
    user,
    unique,
    async close() {
      await served.close();
      await database.drop();
    },
  };
}

export type Api = Awaited<ReturnType<typeof startApi>>;

/** Runs `call` and returns the tRPC error code it failed with (or "OK"). */
export async function codeOf(call: Promise<unknown>): Promise<string> {
  try {
    await call;
    return "OK";
  } catch (error) {
    const code = errorCode(error);
    if (!code) throw error;
    return code;
  }
}
