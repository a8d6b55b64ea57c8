import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ADMIN, type Api, codeOf, startApi } from "./harness";

let api: Api;
beforeAll(async () => {
  // Trusting X-Forwarded-For lets the tests call from several client addresses.
  api = await startApi({ trustProxy: true });
});
afterAll(() => api?.close());

describe("sessions", () => {
  it("logs the bootstrapped provider admin in and out", async () => {
    const anonymous = api.clientFor();
    const session = await anonymous.auth.login.mutate(ADMIN);
    expect(session.token).toMatch(/^cns_/);
    const me = await api.clientFor(session.token).auth.me.query();
    expect(me).toMatchObject({ actor: { kind: "user", role: "admin" }, account: { type: "provider" }, user: { email: ADMIN.email } });
    await api.clientFor(session.token).auth.logout.mutate();
    expect(await codeOf(api.clientFor(session.token).auth.me.query())).toBe("UNAUTHORIZED");
  });

  it("refuses wrong passwords, unknown emails and missing tokens alike", async () => {
    const anonymous = api.clientFor();
    expect(await codeOf(anonymous.auth.login.mutate({ email: ADMIN.email, password: "wrong password" }))).toBe("UNAUTHORIZED");
    expect(await codeOf(anonymous.auth.login.mutate({ email: "nobody@example.com", password: "whatever" }))).toBe("UNAUTHORIZED");
    expect(await codeOf(anonymous.accounts.list.query())).toBe("UNAUTHORIZED");
    expect(await codeOf(api.clientFor("cns_forged-token-that-is-long-enough").accounts.list.query())).toBe("UNAUTHORIZED");
  });

  it("throttles repeated wrong passwords for one email with TOO_MANY_REQUESTS", async () => {
    const { email, password } = await api.user(api.providerId, "service");
    const anonymous = api.clientFor();
    for (let i = 0; i < 10; i++) {
      expect(await codeOf(anonymous.auth.login.mutate({ email, password: "not the password" }))).toBe("UNAUTHORIZED");
    }
    expect(await codeOf(anonymous.auth.login.mutate({ email, password }))).toBe("TOO_MANY_REQUESTS");
    expect(await codeOf(anonymous.auth.login.mutate({ email: "someone-else@example.com", password }))).toBe("UNAUTHORIZED");
  });

  it("checks at most ten of 200 concurrent wrong passwords for one email", { timeout: 120_000 }, async () => {
    const { email } = await api.user(api.providerId, "service");
    const anonymous = api.clientFrom("192.0.2.10");
    const codes = await Promise.all(Array.from({ length: 200 }, (_, i) => codeOf(anonymous.auth.login.mutate({ email, password: `wrong ${i}` }))));
    const checked = codes.filter((c) => c === "UNAUTHORIZED").length;
    expect(checked).toBeLessThanOrEqual(10);
    expect(codes.filter((c) => c === "TOO_MANY_REQUESTS").length).toBe(200 - checked);
  });

  it("refuses the right password that comes 25th in a burst of 30", async () => {
    const { email, password } = await api.user(api.providerId, "service");
    // One batch: its calls take database connections in order, so the 25th starts after
    // at least fifteen of the others have been counted.
    const anonymous = api.clientFrom("192.0.2.11", { batch: true });
    const codes = await Promise.all(
      Array.from({ length: 30 }, (_, i) => codeOf(anonymous.auth.login.mutate({ email, password: i === 24 ? password : `wrong ${i}` }))),
    );
    expect(codes[24]).toBe("TOO_MANY_REQUESTS");
    expect(codes.filter((c) => c === "UNAUTHORIZED").length).toBeLessThanOrEqual(10);
  });

  it("lets a user sign in while a stranger elsewhere has spent the email's budget of wrong passwords", async () => {
    const { email, password } = await api.user(api.providerId, "admin");
    const stranger = api.clientFrom("203.0.113.7");
    const strangerCodes = [];
    for (let i = 0; i < 11; i++) strangerCodes.push(await codeOf(stranger.auth.login.mutate({ email, password: `guess ${i}` })));
    expect(strangerCodes.slice(0, 10)).toEqual(Array(10).fill("UNAUTHORIZED"));
    expect(strangerCodes[10]).toBe("TOO_MANY_REQUESTS");
    expect(await codeOf(stranger.auth.login.mutate({ email, password }))).toBe("TOO_MANY_REQUESTS");

    expect(await codeOf(api.clientFrom("198.51.100.20").auth.login.mutate({ email, password }))).toBe("OK");
  });

  it("limits wrong passwords from one address across emails, more loosely than per email", { timeout: 120_000 }, async () => {
    const sprayer = api.clientFrom("203.0.113.99");
    const codes = [];
    for (let i = 0; i < 52; i++) codes.push(await codeOf(sprayer.auth.login.mutate({ email: `spray-${i}@example.com`, password: "Winter2026!" })));
    expect(codes.slice(0, 50)).toEqual(Array(50).fill("UNAUTHORIZED"));
    expect(codes.slice(50)).toEqual(["TOO_MANY_REQUESTS", "TOO_MANY_REQUESTS"]);
    // Others are not affected.
    expect(await codeOf(api.clientFrom("198.51.100.21").auth.login.mutate({ email: "spray-0@example.com", password: "Winter2026!" }))).toBe("UNAUTHORIZED");
  });

  it("stores passwords with scrypt and session tokens only as hashes", async () => {
    const { user, password, token } = await api.user(api.providerId, "admin");
    const row = await api.db.selectFrom("users").select("password_hash").where("id", "=", user.id).executeTakeFirstOrThrow();
    expect(row.password_hash).toMatch(/^scrypt\$/);
    expect(row.password_hash).not.toContain(password);
    const sessions = await api.db.selectFrom("sessions").select("token_hash").where("user_id", "=", user.id).execute();
    expect(sessions).toHaveLength(1);
    expect(sessions[0]!.token_hash.toString("utf8")).not.toContain(token);
  });

  it("ends a disabled user's sessions at once", async () => {
    const { user, client, email, password } = await api.user(api.providerId, "service");
    await api.provider.users.disable.mutate({ id: user.id });
    expect(await codeOf(client.auth.me.query())).toBe("UNAUTHORIZED");
    expect(await codeOf(api.clientFor().auth.login.mutate({ email, password }))).toBe("UNAUTHORIZED");
  });

  it("refuses a duplicate email whatever its case", async () => {
    const { email } = await api.user(api.providerId, "service");
    const again = api.provider.users.create.mutate({ role: "service", email: email.toUpperCase(), name: "Twin" });
    expect(await codeOf(again)).toBe("CONFLICT");
  });
});

describe("changing a password", () => {
  it("ends the user's other sessions and keeps the one that changed it", async () => {
    const { user, email, password, client: elsewhere } = await api.user(api.providerId, "admin");
    const { token } = await api.clientFor().auth.login.mutate({ email, password });
    const here = api.clientFor(token);
    await here.users.setPassword.mutate({ id: user.id, currentPassword: password, password: "a brand new passphrase" });
    expect(await codeOf(elsewhere.accounts.list.query())).toBe("UNAUTHORIZED");
    expect(await codeOf(here.accounts.list.query())).toBe("OK");
    expect(await codeOf(api.clientFor().auth.login.mutate({ email, password: "a brand new passphrase" }))).toBe("OK");
  });

  it("ends every session of a user whose password an administrator set, without asking for theirs", async () => {
    const { user, client } = await api.user(api.providerId, "service");
    await api.provider.users.setPassword.mutate({ id: user.id, password: "set by the administrator" });
    expect(await codeOf(client.auth.whoami.query())).toBe("UNAUTHORIZED");
  });

  it("asks users who change their own password for the current one", async () => {
    const { user, email, password, client } = await api.user(api.providerId, "service");
    const missing = await client.users.setPassword.mutate({ id: user.id, password: "without the current one" }).catch((e: Error) => e);
    expect(await codeOf(Promise.reject(missing))).toBe("BAD_REQUEST");
    expect((missing as Error).message).toMatch(/current password/);
    expect(await codeOf(client.users.setPassword.mutate({ id: user.id, currentPassword: "not my password", password: "with a wrong current one" }))).toBe(
      "BAD_REQUEST",
    );
    expect(await codeOf(api.clientFor().auth.login.mutate({ email, password }))).toBe("OK");
  });
});

describe("API keys", () => {
  it("shows a key once, lists it by prefix, and stops it when revoked", async () => {
    const reseller = await api.account("reseller");
    const created = await reseller.client.apiKeys.create.mutate({ name: "billing sync" });
    expect(created.secret.startsWith(created.apiKey.prefix)).toBe(true);
    const listed = await reseller.client.apiKeys.list.query();
    const entry = listed.items.find((k) => k.id === created.apiKey.id)!;
    expect(entry).toMatchObject({ name: "billing sync", prefix: created.apiKey.prefix, revokedAt: null });
    expect(JSON.stringify(listed)).not.toContain(created.secret);
    const row = await api.db.selectFrom("api_keys").selectAll().where("id", "=", created.apiKey.id).executeTakeFirstOrThrow();
    expect(JSON.stringify(row)).not.toContain(created.secret.slice(12));

    const asKey = api.clientFor(created.secret);
    expect((await asKey.auth.me.query()).account.id).toBe(reseller.account.id);
    await reseller.client.apiKeys.revoke.mutate({ id: created.apiKey.id });
    expect(await codeOf(asKey.auth.me.query())).toBe("UNAUTHORIZED");
    expect((await reseller.client.apiKeys.list.query()).items.some((k) => k.id === created.apiKey.id)).toBe(false);
  });

  it("acts with admin rights on its account", async () => {
    const reseller = await api.account("reseller");
    const me = await reseller.client.auth.me.query();
    expect(me.actor).toMatchObject({ kind: "apiKey", role: "admin" });
    expect(await codeOf(api.account("customer", { as: reseller.client }))).toBe("OK");
  });
});
