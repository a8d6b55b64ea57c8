import { type Actor, accounts } from "@canopy/domain/identity";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Api, codeOf, startApi } from "./harness";

let api: Api;
beforeAll(async () => {
  api = await startApi();
});
afterAll(() => api?.close());

const countEvents = async () =>
  Number(
    (
      await api.db
        .selectFrom("events")
        .select((eb) => eb.fn.countAll().as("n"))
        .executeTakeFirstOrThrow()
    ).n,
  );

describe("events", () => {
  it("records every account and user change with the resource after it", async () => {
    const { account } = await api.account("customer");
    const updated = await api.provider.accounts.update.mutate({ id: account.id, version: 1, name: "Renamed Ltd" });
    const user = await api.provider.users.create.mutate({
      accountId: account.id,
      role: "admin",
      email: "owner@renamed.test",
      name: "Owner",
    });
    await api.provider.users.disable.mutate({ id: user.id });

    const { items } = await api.provider.events.list.query({ accountId: account.id });
    expect(items.map((e) => e.type)).toEqual(["user.disabled", "user.created", "account.updated", "apiKey.created", "account.created"]);
    expect(items[2]!.data).toEqual(updated);
    const one = await api.provider.events.get.query({ id: items[0]!.id });
    expect(one).toMatchObject({ type: "user.disabled", accountId: account.id, data: { id: user.id, status: "disabled" } });
  });

  it("writes nothing when the change fails", async () => {
    const { account, client } = await api.account("reseller");
    const input = {
      type: "customer" as const,
      name: "Dup",
      externalId: "dup-1",
      contact: { email: "d@x.test" },
      address: { country: "US" },
    };
    await client.accounts.create.mutate(input);
    const before = await countEvents();
    expect(await codeOf(client.accounts.create.mutate(input))).toBe("CONFLICT");
    expect(await codeOf(api.provider.accounts.update.mutate({ id: account.id, version: 99, name: "stale" }))).toBe("CONFLICT");
    expect(await countEvents()).toBe(before);
  });

  it("rolls events back with the transaction that wrote them", async () => {
    const provider = await api.provider.auth.me.query();
    const actor: Actor = {
      kind: "apiKey",
      id: provider.actor.id,
      role: "admin",
      accountId: provider.account.id,
      accountPath: `${provider.account.id}.`,
      accountType: "provider",
    };
    const before = await countEvents();
    let createdId = "";
    await expect(
      api.db.transaction().execute(async (trx) => {
        const created = await accounts.createAccount(trx, actor, {
          type: "reseller",
          name: "Doomed",
          contact: { email: "doomed@example.com" },
          address: { country: "GB" },
        });
        createdId = created.id;
        throw new Error("a later step failed");
      }),
    ).rejects.toThrow("a later step failed");
    expect(createdId).toMatch(/^acc_/);
    expect(await countEvents()).toBe(before);
    expect(await codeOf(api.provider.accounts.get.query({ id: createdId }))).toBe("NOT_FOUND");
  });

  it("pages newest first and filters by type", async () => {
    const reseller = await api.account("reseller");
    for (let i = 0; i < 4; i++) await api.account("customer", { as: reseller.client });
    const first = await reseller.client.events.list.query({ type: "account.created", limit: 3 });
    const second = await reseller.client.events.list.query({ type: "account.created", limit: 3, cursor: first.nextCursor! });
    const ids = [...first.items, ...second.items].map((e) => e.id);
    expect(ids).toHaveLength(5);
    expect([...ids].sort().reverse()).toEqual(ids);
    expect(second.nextCursor).toBeNull();
  });
});
