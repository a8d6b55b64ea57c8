import { randomBytes } from "node:crypto";
import { sql } from "@canopy/db";
import { createTestDatabase, type TestDatabase } from "@canopy/db/testing";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { bootstrapPlatform } from "../platform/bootstrap";
import { ActorCache } from "./actor-cache";
import { login } from "./auth.service";

// The bounds of the actor cache without its notification feed: the TTL, a session's own expiry,
// and no caching at all while the feed is down. Changes are made with triggers off, so that
// only these bounds can make the cache notice them.
let database: TestDatabase;
let key: string;
let clock = 0;
beforeAll(async () => {
  database = await createTestDatabase();
  key = `bootstrap_${randomBytes(24).toString("base64url")}`;
  await bootstrapPlatform(database.db, { apiKey: key, adminEmail: "admin@provider.test", adminPassword: "correct horse battery staple" });
});
afterAll(() => database?.drop());
beforeEach(async () => {
  clock = 1_000_000;
  await setRevoked(false);
});

async function setRevoked(revoked: boolean) {
  await database.db.transaction().execute(async (trx) => {
    await sql`set local session_replication_role = replica`.execute(trx);
    await sql`update api_keys set revoked_at = ${revoked ? sql`now()` : null} where key_hash = sha256(${key}::bytea)`.execute(trx);
  });
}

describe("ActorCache", () => {
  it("serves an entry for at most its TTL", async () => {
    const cache = new ActorCache({ ttlMs: 5_000, now: () => clock });
    cache.resume();
    expect((await cache.authenticate(database.db, key))?.kind).toBe("apiKey");
    await setRevoked(true);
    clock += 4_999;
    expect(await cache.authenticate(database.db, key)).toBeDefined();
    clock += 2;
    expect(await cache.authenticate(database.db, key)).toBeUndefined();
  });

  it("asks the database every time while its feed is down", async () => {
    const cache = new ActorCache({ now: () => clock });
    cache.resume();
    await cache.authenticate(database.db, key);
    cache.suspend();
    await setRevoked(true);
    expect(await cache.authenticate(database.db, key)).toBeUndefined();
    expect(cache.serving).toBe(false);
  });

  it("does not store a lookup that raced with a change", async () => {
    const cache = new ActorCache({ now: () => clock });
    cache.resume();
    const lookup = cache.authenticate(database.db, key);
    cache.forgetAll(); // a notification arrives while the query is in flight
    expect(await lookup).toBeDefined();
    await setRevoked(true);
    expect(await cache.authenticate(database.db, key)).toBeUndefined();
  });

  it("never serves a session beyond its expiry", async () => {
    const cache = new ActorCache({ ttlMs: 10 * 60_000, now: () => clock });
    cache.resume();
    const { token } = await login(
      database.db,
      { email: "admin@provider.test", password: "correct horse battery staple" },
      { clientAddress: "127.0.0.1" },
    );
    const expiresAt = Date.now() + 30_000;
    await database.db
      .updateTable("sessions")
      .set({ expires_at: new Date(expiresAt) })
      .execute();
    clock = Date.now();
    expect(await cache.authenticate(database.db, token)).toBeDefined();
    await database.db.transaction().execute(async (trx) => {
      await sql`set local session_replication_role = replica`.execute(trx);
      await sql`delete from sessions`.execute(trx);
    });
    clock = expiresAt - 1;
    expect(await cache.authenticate(database.db, token)).toBeDefined();
    clock = expiresAt + 1;
    expect(await cache.authenticate(database.db, token)).toBeUndefined();
  });
});
