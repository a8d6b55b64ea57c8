import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Api, codeOf, startApi } from "./harness";

let api: Api;
beforeAll(async () => {
  api = await startApi();
});
afterAll(() => api?.close());

describe("accounts", () => {
  it("builds a hierarchy of resellers in several tiers with customers below", async () => {
    const reseller = await api.account("reseller");
    const sub = await api.account("reseller", { as: reseller.client });
    const customer = await api.account("customer", { as: sub.client });
    expect(sub.account.vendorId).toBe(reseller.account.id);
    expect(customer.account.vendorId).toBe(sub.account.id);
    expect(customer.account).toMatchObject({ type: "customer", status: "active", version: 1 });

    const subtree = await reseller.client.accounts.list.query();
    expect(subtree.items.map((a) => a.id)).toEqual([reseller.account.id, sub.account.id, customer.account.id]);
    const direct = await reseller.client.accounts.list.query({ vendorId: reseller.account.id });
    expect(direct.items.map((a) => a.id)).toEqual([sub.account.id]);
  });

  it("pages through a subtree with opaque cursors, every account once", async () => {
    const reseller = await api.account("reseller");
    for (let i = 0; i < 7; i++) await api.account("customer", { as: reseller.client });
    const seen: string[] = [];
    let cursor: string | undefined;
    do {
      const page = await reseller.client.accounts.list.query({ limit: 3, cursor });
      seen.push(...page.items.map((a) => a.id));
      cursor = page.nextCursor ?? undefined;
    } while (cursor);
    expect(seen).toHaveLength(8);
    expect(new Set(seen).size).toBe(8);
  });

  it("filters a subtree by type, status and words of the name, in tree order", async () => {
    const reseller = await api.account("reseller", { name: "Filter Reseller" });
    const held = await api.account("customer", { as: reseller.client, name: "Northwind Traders GmbH" });
    const other = await api.account("customer", { as: reseller.client, name: "Contoso Traders" });
    await api.provider.accounts.setStatus.mutate({ id: held.account.id, status: "creditHold" });
    const ids = async (input: Parameters<typeof reseller.client.accounts.list.query>[0]) =>
      (await reseller.client.accounts.list.query(input)).items.map((a) => a.id);

    expect(await ids({ type: "customer" })).toEqual([held.account.id, other.account.id].sort((a, b) => (a < b ? -1 : 1)));
    expect(await ids({ type: "reseller" })).toEqual([reseller.account.id]);
    expect(await ids({ status: "creditHold" })).toEqual([held.account.id]);
    expect(await ids({ q: "traders" })).toHaveLength(2);
    expect(await ids({ q: "TRADERS northwind" })).toEqual([held.account.id]); // every word, any order, any case
    expect(await ids({ q: "traders", status: "active", type: "customer" })).toEqual([other.account.id]);
    expect(await ids({ q: "100%" })).toEqual([]); // wildcards are characters
    expect(await codeOf(reseller.client.accounts.list.query({ q: "n" }))).toBe("BAD_REQUEST");

    // A name search pages by cursor like the plain listing, in tree order, every match once.
    const more = [];
    for (let i = 0; i < 4; i++) more.push(await api.account("customer", { as: reseller.client, name: `Fabrikam Traders ${i}` }));
    await api.account("customer", { as: reseller.client, name: "Fabrikam Retail" });
    const seen: string[] = [];
    let cursor: string | undefined;
    do {
      const page = await reseller.client.accounts.list.query({ q: "traders fab", limit: 3, cursor });
      seen.push(...page.items.map((a) => a.id));
      cursor = page.nextCursor ?? undefined;
    } while (cursor);
    expect(seen).toEqual(more.map((m) => m.account.id).sort((a, b) => (a < b ? -1 : 1)));
  });

  it("refuses a customer below a customer", async () => {
    const customer = await api.account("customer");
    expect(await codeOf(api.account("customer", { vendorId: customer.account.id }))).toBe("FORBIDDEN");
    expect(await codeOf(api.account("customer", { as: customer.client }))).toBe("FORBIDDEN");
  });

  it("keeps externalId unique among one vendor's children only", async () => {
    const a = await api.account("reseller");
    const b = await api.account("reseller");
    const input = {
      type: "customer" as const,
      name: "Acme",
      externalId: "crm-1",
      contact: { email: "a@acme.test" },
      address: { country: "FR" },
    };
    await a.client.accounts.create.mutate(input);
    expect(await codeOf(a.client.accounts.create.mutate(input))).toBe("CONFLICT");
    await expect(b.client.accounts.create.mutate(input)).resolves.toMatchObject({ externalId: "crm-1" });
  });

  it("gives exactly one CONFLICT to two concurrent updates with the same version", async () => {
    const { account } = await api.account("customer");
    const results = await Promise.allSettled([
      api.provider.accounts.update.mutate({ id: account.id, version: account.version, name: "First" }),
      api.provider.accounts.update.mutate({ id: account.id, version: account.version, name: "Second" }),
    ]);
    const codes = await Promise.all(results.map((r) => (r.status === "fulfilled" ? "OK" : codeOf(Promise.reject(r.reason)))));
    expect(codes.sort()).toEqual(["CONFLICT", "OK"]);
    const after = await api.provider.accounts.get.query({ id: account.id });
    expect(after.version).toBe(2);
    const winner = results.find((r) => r.status === "fulfilled") as PromiseFulfilledResult<{ name: string }>;
    expect(after.name).toBe(winner.value.name);
  });

  it("records status changes, and a cancelled account is final", async () => {
    const { account } = await api.account("customer");
    const held = await api.provider.accounts.setStatus.mutate({ id: account.id, status: "creditHold" });
    expect(held).toMatchObject({ status: "creditHold", version: 2 });
    await api.provider.accounts.setStatus.mutate({ id: account.id, status: "cancelled" });
    expect(await codeOf(api.provider.accounts.setStatus.mutate({ id: account.id, status: "active" }))).toBe("PRECONDITION_FAILED");
    expect(await codeOf(api.provider.accounts.update.mutate({ id: account.id, version: 3, name: "x" }))).toBe("PRECONDITION_FAILED");
    const events = await api.provider.events.list.query({ accountId: account.id, type: "account.statusChanged" });
    expect(events.items.map((e) => (e.data as { status: string }).status)).toEqual(["cancelled", "creditHold"]);
  });
});
