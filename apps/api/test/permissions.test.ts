import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Api, codeOf, startApi } from "./harness";

/**
 * The rows of docs/permissions.md's permission table that concern accounts, users, API keys and events,
 * for each kind of actor. Out of reach is NOT_FOUND; in reach but not allowed is FORBIDDEN.
 */
let api: Api;
let t: Awaited<ReturnType<typeof tree>>;

async function tree(api: Api) {
  const reseller = await api.account("reseller");
  const sub = await api.account("reseller", { as: reseller.client });
  const customer = await api.account("customer", { as: sub.client });
  const sibling = await api.account("reseller");
  const siblingCustomer = await api.account("customer", { as: sibling.client });
  const resellerAdmin = await api.user(reseller.account.id, "admin");
  const customerAdmin = await api.user(customer.account.id, "admin");
  const service = await api.user(customer.account.id, "service");
  const customerColleague = await api.user(customer.account.id, "admin");
  return { reseller, sub, customer, sibling, siblingCustomer, resellerAdmin, customerAdmin, service, customerColleague };
}

const newAccount = (vendorId?: string) => ({
  type: "customer" as const,
  name: "New customer",
  vendorId,
  contact: { email: "new@example.com" },
  address: { country: "NL" },
});

beforeAll(async () => {
  api = await startApi();
  t = await tree(api);
});
afterAll(() => api?.close());

describe("read accounts, users and events", () => {
  it("provider admin reads every account", async () => {
    for (const id of [t.reseller.account.id, t.customer.account.id, t.siblingCustomer.account.id, api.providerId]) {
      expect(await codeOf(api.provider.accounts.get.query({ id }))).toBe("OK");
    }
  });

  it("reseller admin reads its own subtree and nothing else", async () => {
    const as = t.resellerAdmin.client;
    for (const id of [t.reseller.account.id, t.sub.account.id, t.customer.account.id]) {
      expect(await codeOf(as.accounts.get.query({ id }))).toBe("OK");
    }
    for (const id of [t.sibling.account.id, t.siblingCustomer.account.id, api.providerId]) {
      expect(await codeOf(as.accounts.get.query({ id }))).toBe("NOT_FOUND");
    }
    const listed = await as.accounts.list.query({ limit: 200 });
    expect(listed.items.map((a) => a.id).sort()).toEqual([t.reseller.account.id, t.sub.account.id, t.customer.account.id].sort());
    expect(await codeOf(as.users.get.query({ id: t.service.user.id }))).toBe("OK");
    const events = await as.events.list.query({ limit: 200 });
    const reach = new Set([t.reseller.account.id, t.sub.account.id, t.customer.account.id]);
    expect(events.items.length).toBeGreaterThan(0);
    expect(events.items.every((e) => reach.has(e.accountId))).toBe(true);
    const foreign = await api.provider.events.list.query({ accountId: t.sibling.account.id, limit: 1 });
    expect(await codeOf(as.events.get.query({ id: foreign.items[0]!.id }))).toBe("NOT_FOUND");
  });

  it("customer admin reads its own account only", async () => {
    const as = t.customerAdmin.client;
    expect(await codeOf(as.accounts.get.query({ id: t.customer.account.id }))).toBe("OK");
    expect(await codeOf(as.accounts.get.query({ id: t.sub.account.id }))).toBe("NOT_FOUND");
    expect((await as.accounts.list.query()).items.map((a) => a.id)).toEqual([t.customer.account.id]);
    const users = await as.users.list.query();
    expect(users.items.every((u) => u.accountId === t.customer.account.id)).toBe(true);
    expect(await codeOf(as.users.get.query({ id: t.resellerAdmin.user.id }))).toBe("NOT_FOUND");
  });

  it("service user reads its own profile only", async () => {
    const as = t.service.client;
    expect(await codeOf(as.users.get.query({ id: t.service.user.id }))).toBe("OK");
    expect(await codeOf(as.users.get.query({ id: t.customerAdmin.user.id }))).toBe("NOT_FOUND");
    expect(await codeOf(as.accounts.get.query({ id: t.customer.account.id }))).toBe("NOT_FOUND");
    expect((await as.users.list.query()).items.map((u) => u.id)).toEqual([t.service.user.id]);
    expect((await as.accounts.list.query()).items).toEqual([]);
    expect((await as.events.list.query()).items).toEqual([]);
    expect((await as.auth.me.query()).user?.id).toBe(t.service.user.id);
  });
});

describe("create, update, hold and cancel accounts", () => {
  it("provider admin does all of it", async () => {
    const created = await api.provider.accounts.create.mutate(newAccount(t.sub.account.id));
    expect(created.vendorId).toBe(t.sub.account.id);
    expect(await codeOf(api.provider.accounts.update.mutate({ id: created.id, version: 1, name: "Renamed" }))).toBe("OK");
    expect(await codeOf(api.provider.accounts.setStatus.mutate({ id: created.id, status: "adminHold" }))).toBe("OK");
    expect(await codeOf(api.provider.accounts.setStatus.mutate({ id: created.id, status: "cancelled" }))).toBe("OK");
  });

  it("reseller admin acts strictly below itself", async () => {
    const as = t.resellerAdmin.client;
    const created = await as.accounts.create.mutate(newAccount(t.sub.account.id));
    expect(await codeOf(as.accounts.update.mutate({ id: created.id, version: 1, name: "Renamed" }))).toBe("OK");
    expect(await codeOf(as.accounts.setStatus.mutate({ id: created.id, status: "creditHold" }))).toBe("OK");
    const own = await as.accounts.get.query({ id: t.reseller.account.id });
    expect(await codeOf(as.accounts.update.mutate({ id: own.id, version: own.version, name: "Me" }))).toBe("FORBIDDEN");
    expect(await codeOf(as.accounts.setStatus.mutate({ id: own.id, status: "creditHold" }))).toBe("FORBIDDEN");
    expect(await codeOf(as.accounts.create.mutate(newAccount(t.sibling.account.id)))).toBe("NOT_FOUND");
    expect(await codeOf(as.accounts.setStatus.mutate({ id: t.siblingCustomer.account.id, status: "adminHold" }))).toBe("NOT_FOUND");
  });

  it("customer admin changes its own details only", async () => {
    const as = t.customerAdmin.client;
    const own = await as.accounts.get.query({ id: t.customer.account.id });
    expect(await codeOf(as.accounts.update.mutate({ id: own.id, version: own.version, contact: { email: "it@customer.test" } }))).toBe(
      "OK",
    );
    expect(await codeOf(as.accounts.setStatus.mutate({ id: own.id, status: "cancelled" }))).toBe("FORBIDDEN");
    expect(await codeOf(as.accounts.create.mutate(newAccount()))).toBe("FORBIDDEN");
    expect(await codeOf(as.accounts.update.mutate({ id: t.sub.account.id, version: 1, name: "x" }))).toBe("NOT_FOUND");
  });

  it("service user can do none of it", async () => {
    const as = t.service.client;
    expect(await codeOf(as.accounts.create.mutate(newAccount()))).toBe("NOT_FOUND");
    expect(await codeOf(as.accounts.update.mutate({ id: t.customer.account.id, version: 1, name: "x" }))).toBe("NOT_FOUND");
    expect(await codeOf(as.accounts.setStatus.mutate({ id: t.customer.account.id, status: "adminHold" }))).toBe("NOT_FOUND");
  });
});

describe("manage users and API keys", () => {
  const newUser = (accountId: string) => ({
    accountId,
    role: "service" as const,
    email: `u-${Math.random().toString(36).slice(2)}@example.com`,
    name: "Seat holder",
  });

  it("provider admin manages every account's users and keys", async () => {
    expect(await codeOf(api.provider.users.create.mutate(newUser(t.siblingCustomer.account.id)))).toBe("OK");
    expect(await codeOf(api.provider.apiKeys.create.mutate({ name: "k", accountId: t.customer.account.id }))).toBe("OK");
  });

  it("reseller admin manages its subtree's users and keys", async () => {
    const as = t.resellerAdmin.client;
    const user = await as.users.create.mutate(newUser(t.customer.account.id));
    expect(await codeOf(as.users.update.mutate({ id: user.id, version: user.version, name: "Renamed" }))).toBe("OK");
    expect(await codeOf(as.users.disable.mutate({ id: user.id }))).toBe("OK");
    const key = await as.apiKeys.create.mutate({ name: "k", accountId: t.sub.account.id });
    expect(await codeOf(as.apiKeys.revoke.mutate({ id: key.apiKey.id }))).toBe("OK");
    expect(await codeOf(as.users.create.mutate(newUser(t.siblingCustomer.account.id)))).toBe("NOT_FOUND");
    expect(await codeOf(as.apiKeys.create.mutate({ name: "k", accountId: t.sibling.account.id }))).toBe("NOT_FOUND");
  });

  it("customer admin manages its own account's users and keys", async () => {
    const as = t.customerAdmin.client;
    expect(await codeOf(as.users.create.mutate(newUser(t.customer.account.id)))).toBe("OK");
    expect(await codeOf(as.users.disable.mutate({ id: t.customerColleague.user.id }))).toBe("OK");
    expect(await codeOf(as.apiKeys.create.mutate({ name: "k" }))).toBe("OK");
    expect(await codeOf(as.users.create.mutate(newUser(t.sub.account.id)))).toBe("NOT_FOUND");
    expect(await codeOf(as.users.update.mutate({ id: t.resellerAdmin.user.id, version: 1, name: "x" }))).toBe("NOT_FOUND");
  });

  it("service user manages nothing, but may change its own password", async () => {
    const as = t.service.client;
    expect(await codeOf(as.users.create.mutate(newUser(t.customer.account.id)))).toBe("NOT_FOUND");
    expect(await codeOf(as.apiKeys.create.mutate({ name: "k" }))).toBe("NOT_FOUND");
    expect(await codeOf(as.users.disable.mutate({ id: t.customerAdmin.user.id }))).toBe("NOT_FOUND");
    expect(await codeOf(as.users.update.mutate({ id: t.service.user.id, version: 1, name: "x" }))).toBe("FORBIDDEN");
    expect(
      await codeOf(
        as.users.setPassword.mutate({ id: t.service.user.id, currentPassword: t.service.password, password: "a brand new passphrase" }),
      ),
    ).toBe("OK");
  });
});
