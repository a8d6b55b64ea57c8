import { randomBytes } from "node:crypto";
import type { AddressInfo } from "node:net";
import { createTestDatabase } from "@canopy/db/testing";
import { bootstrapPlatform, type WebhookSettings, webhookSettings } from "@canopy/domain";
import { type CanopyClient, createCanopyClient, errorCode } from "@canopy/sdk";
import { buildServer } from "../src/server";

export { errorCode };

export const ADMIN = { email: "admin@provider.test", password: "correct horse battery staple" };

/**
 * A real API on a free port over a database of this test file's own, with the provider
 * bootstrapped. Tests talk to it through the published SDK client over HTTP.
 */
export async function startApi(opts: { webhooks?: Partial<WebhookSettings>; trustProxy?: boolean } = {}) {
  const database = await createTestDatabase();
  const providerKey = `bootstrap_${randomBytes(24).toString("base64url")}`;
  const boot = await bootstrapPlatform(database.db, { apiKey: providerKey, adminEmail: ADMIN.email, adminPassword: ADMIN.password });
  const app = await buildServer({ db: database.db, webhooks: webhookSettings(opts.webhooks), trustProxy: opts.trustProxy });
  await app.listen({ port: 0, host: "127.0.0.1" });
  const url = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
  const clientFor = (apiKey?: string, opts: { batch?: boolean } = {}) => createCanopyClient({ url, apiKey, ...opts });
  /** An anonymous client whose calls say (through X-Forwarded-For, to an API that trusts it) they come from `address`. */
  const clientFrom = (address: string, opts: { apiKey?: string; batch?: boolean } = {}) =>
    createCanopyClient({
      url,
      apiKey: opts.apiKey,
      batch: opts.batch ?? false,
      fetch: (input, init) => fetch(input, { ...init, headers: { ...Object.fromEntries(new Headers(init?.headers)), "x-forwarded-for": address } }),
    });
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
    clientFrom,
    account,
    user,
    unique,
    async close() {
      await app.close();
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
