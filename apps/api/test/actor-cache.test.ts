import { randomBytes } from "node:crypto";
import type { AddressInfo } from "node:net";
import type { Listener } from "@canopy/db";
import { sql } from "@canopy/db";
import { createTestDatabase, type TestDatabase } from "@canopy/db/testing";
import { ActorCache, bootstrapPlatform } from "@canopy/domain/identity";
import { createCanopyClient } from "@canopy/sdk";
import type { FastifyInstance } from "fastify";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { watchCredentialChanges } from "../src/actors";
import { buildServer } from "../src/server";
import { codeOf } from "./harness";

/**
 * The API as main.ts runs it: bearer tokens resolved from memory, the memory emptied by Postgres
 * notifications. Whatever ends or narrows a credential must take effect at once (as soon as the
 * notification arrives, which vi.waitFor allows for), and never wait for the 5-second TTL.
 */
let database: TestDatabase;
let app: FastifyInstance;
let listener: Listener;
let url: string;
let providerKey: string;
const actors = new ActorCache({ ttlMs: 10 * 60_000 }); // far beyond any test: only notifications can expire entries
const lost: Error[] = [];

beforeAll(async () => {
  database = await createTestDatabase();
  providerKey = `bootstrap_${randomBytes(24).toString("base64url")}`;
  await bootstrapPlatform(database.db, {
    apiKey: providerKey,
    adminEmail: "admin@provider.test",
    adminPassword: "correct horse battery staple",
  });
  app = await buildServer({ db: database.db, actors });
  listener = watchCredentialChanges(database.url, actors, (error) => lost.push(error));
  await app.listen({ port: 0, host: "127.0.0.1" });
  url = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
  await vi.waitFor(() => expect(actors.serving).toBe(true));
});
afterAll(async () => {
  await listener?.close();
  await app?.close();
  await database?.drop();
  expect(lost).toEqual([]);
});

const clientFor = (token?: string) => createCanopyClient({ url, apiKey: token, batch: false });
const provider = () => clientFor(providerKey);

async function customerWithKey() {
  const account = await provider().accounts.create.mutate({
    type: "customer",
    name: `Cached ${randomBytes(3).toString("hex")}`,
    contact: { email: "c@example.com" },
    address: { country: "DE" },
  });
  const { apiKey, secret } = await provider().apiKeys.create.mutate({ name: "k", accountId: account.id });
  return { account, apiKey, secret };
}

async function userWithSession(accountId: string) {
  const email = `u-${randomBytes(4).toString("hex")}@example.com`;
  const password = `pw-${randomBytes(9).toString("base64url")}`;
  const user = await provider().users.create.mutate({ accountId, role: "admin", email, name: "U", password });
  const { token } = await clientFor().auth.login.mutate({ email, password });
  return { user, token };
}

/** One call puts the token's actor in the cache. */
async function warm(token: string) {
  expect(await codeOf(clientFor(token).auth.whoami.query())).toBe("OK");
}

describe("cached bearer tokens", () => {
  it("serves a known token from memory, without a query", async () => {
    const { secret } = await customerWithKey();
    await warm(secret);
    // Revoke behind the cache's back (triggers off): the cached actor is still served, which
    // shows the cache is in use and that only notifications keep it honest.
    await database.db.transaction().execute(async (trx) => {
      await sql`set local session_replication_role = replica`.execute(trx);
      await sql`update api_keys set revoked_at = now() where key_hash = sha256(${secret}::bytea)`.execute(trx);
    });
    expect(await codeOf(clientFor(secret).auth.whoami.query())).toBe("OK");
    actors.forgetAll();
    expect(await codeOf(clientFor(secret).auth.whoami.query())).toBe("UNAUTHORIZED");
  });

  it("stops a revoked API key", async () => {
    const { apiKey, secret } = await customerWithKey();
    await warm(secret);
    await provider().apiKeys.revoke.mutate({ id: apiKey.id });
    await vi.waitFor(async () => expect(await codeOf(clientFor(secret).auth.whoami.query())).toBe("UNAUTHORIZED"));
  });

  it("stops a session that logged out", async () => {
    const { account } = await customerWithKey();
    const { token } = await userWithSession(account.id);
    await warm(token);
    await clientFor(token).auth.logout.mutate();
    await vi.waitFor(async () => expect(await codeOf(clientFor(token).auth.whoami.query())).toBe("UNAUTHORIZED"));
  });

  it("stops the sessions of a disabled user", async () => {
    const { account } = await customerWithKey();
    const { user, token } = await userWithSession(account.id);
    await warm(token);
    await provider().users.disable.mutate({ id: user.id });
    await vi.waitFor(async () => expect(await codeOf(clientFor(token).auth.whoami.query())).toBe("UNAUTHORIZED"));
  });

  it("stops the sessions of a user whose password an administrator set", async () => {
    const { account } = await customerWithKey();
    const { user, token } = await userWithSession(account.id);
    await warm(token);
    await provider().users.setPassword.mutate({ id: user.id, password: "set by the administrator" });
    await vi.waitFor(async () => expect(await codeOf(clientFor(token).auth.whoami.query())).toBe("UNAUTHORIZED"));
  });

  it("stops the keys of a cancelled account", async () => {
    const { account, secret } = await customerWithKey();
    await warm(secret);
    await provider().accounts.setStatus.mutate({ id: account.id, status: "cancelled" });
    await vi.waitFor(async () => expect(await codeOf(clientFor(secret).auth.whoami.query())).toBe("UNAUTHORIZED"));
  });

  it("sees a user's new role", async () => {
    const { account } = await customerWithKey();
    const { user, token } = await userWithSession(account.id);
    await warm(token);
    await provider().users.update.mutate({ id: user.id, version: user.version, role: "service" });
    await vi.waitFor(async () => expect((await clientFor(token).auth.whoami.query()).role).toBe("service"));
  });
});
