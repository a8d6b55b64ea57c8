import { provision, publishedProduct } from "@canopy/api/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Api, codeOf, startApi } from "./harness";

let api: Api;
beforeAll(async () => {
  api = await startApi();
});
afterAll(() => api?.close());

/** A reseller, its customer, and an active subscription of the customer (quantity 3 unless told). */
async function activeSubscription(opts: { quantity?: number; msrp?: number } = {}) {
  const product = await publishedProduct(api, { msrp: { amount: opts.msrp ?? 1000, currency: "USD" }, maxQuantity: 50 });
  const reseller = await api.account("reseller");
  const customer = await api.account("customer", { as: reseller.client });
  const order = await customer.client.orders.place.mutate({ items: [{ mpn: product.mpn, quantity: opts.quantity ?? 3 }] });
  await provision(api, order.id);
  const subscription = await customer.client.subscriptions.get.query({ id: order.items[0]!.subscriptionId! });
  return { product, reseller, customer, subscription };
}

describe("subscriptions read side", () => {
  it("shows subscriptions to admins up the chain and to seat holders, and to no one else", async () => {
    const { reseller, customer, subscription } = await activeSubscription();
    expect(subscription).toMatchObject({
      status: "active",
      quantity: 3,
      accountId: customer.account.id,
      assignedUserIds: [],
      pendingAction: null,
    });
    expect(subscription.startedAt).not.toBeNull();
    expect((await reseller.client.subscriptions.get.query({ id: subscription.id })).id).toBe(subscription.id);
    expect((await api.provider.subscriptions.list.query({ accountId: customer.account.id })).items.map((s) => s.id)).toEqual([
      subscription.id,
    ]);
    expect((await reseller.client.subscriptions.list.query({ status: "active" })).items.map((s) => s.id)).toEqual([subscription.id]);
    expect((await reseller.client.subscriptions.list.query({ status: "pending" })).items).toEqual([]);

    const stranger = await api.account("reseller");
    expect(await codeOf(stranger.client.subscriptions.get.query({ id: subscription.id }))).toBe("NOT_FOUND");
    expect((await stranger.client.subscriptions.list.query()).items).toEqual([]);

    const holder = await api.user(customer.account.id, "service");
    const bystander = await api.user(customer.account.id, "service");
    await customer.client.subscriptions.assignUser.mutate({ id: subscription.id, userId: holder.user.id });
    expect((await holder.client.subscriptions.get.query({ id: subscription.id })).assignedUserIds).toEqual([holder.user.id]);
    expect((await holder.client.subscriptions.list.query()).items.map((s) => s.id)).toEqual([subscription.id]);
    expect(await codeOf(bystander.client.subscriptions.get.query({ id: subscription.id }))).toBe("NOT_FOUND");
    expect((await bystander.client.subscriptions.list.query()).items).toEqual([]);
    // Seat holders consume; they do not manage (FORBIDDEN: they can see it, so it is not hidden).
    expect(await codeOf(holder.client.subscriptions.changeQuantity.mutate({ id: subscription.id, quantity: 4 }))).toBe("FORBIDDEN");
    expect(await codeOf(holder.client.subscriptions.assignUser.mutate({ id: subscription.id, userId: bystander.user.id }))).toBe(
      "FORBIDDEN",
    );
  });
});

describe("changeQuantity and cancel", () => {
  it("place the matching orders, priced by the delta, one open order at a time", async () => {
    const { reseller, customer, subscription } = await activeSubscription({ quantity: 3, msrp: 1000 });
    await api.provider.prices.set.mutate({ mpn: subscription.mpn, price: { amount: 900, currency: "USD" } });
    await reseller.client.prices.set.mutate({ mpn: subscription.mpn, price: { amount: 1200, currency: "USD" } });

    const change = await reseller.client.subscriptions.changeQuantity.mutate({ id: subscription.id, quantity: 5 });
    expect(change).toMatchObject({
      type: "change",
      status: "submitted",
      accountId: customer.account.id,
      subscriptionId: subscription.id,
      items: [
        {
          subscriptionId: subscription.id,
          quantity: 5,
          unitPrice: { amount: 1200, currency: "USD" },
          total: { amount: 2400, currency: "USD" },
        },
      ],
      total: { amount: 2400, currency: "USD" },
    });
    // The worker applies it: the subscription still has its old quantity, and a second order waits.
    expect((await customer.client.subscriptions.get.query({ id: subscription.id })).quantity).toBe(3);
    expect(await codeOf(customer.client.subscriptions.changeQuantity.mutate({ id: subscription.id, quantity: 6 }))).toBe(
      "PRECONDITION_FAILED",
    );
    expect(await codeOf(customer.client.subscriptions.cancel.mutate({ id: subscription.id }))).toBe("PRECONDITION_FAILED");
    await customer.client.orders.cancel.mutate({ id: change.id });

    // Same quantity, out of range: BAD_REQUEST.
    expect(await codeOf(customer.client.subscriptions.changeQuantity.mutate({ id: subscription.id, quantity: 3 }))).toBe("BAD_REQUEST");
    expect(await codeOf(customer.client.subscriptions.changeQuantity.mutate({ id: subscription.id, quantity: 51 }))).toBe("BAD_REQUEST");
    const reduce = await customer.client.subscriptions.changeQuantity.mutate({
      id: subscription.id,
      quantity: 1,
      idempotencyKey: "reduce-1",
    });
    expect(reduce.total).toEqual({ amount: -2400, currency: "USD" });
    expect(
      (await customer.client.subscriptions.changeQuantity.mutate({ id: subscription.id, quantity: 1, idempotencyKey: "reduce-1" })).id,
    ).toBe(reduce.id);
    await customer.client.orders.cancel.mutate({ id: reduce.id });

    const cancellation = await customer.client.subscriptions.cancel.mutate({ id: subscription.id });
    expect(cancellation).toMatchObject({ type: "cancellation", subscriptionId: subscription.id, total: { amount: 0, currency: "USD" } });
    expect(cancellation.items[0]).toMatchObject({ quantity: 3, subscriptionId: subscription.id });
  });

  it("refuse subscriptions in the wrong state", async () => {
    const product = await publishedProduct(api);
    const customer = await api.account("customer");
    const pending = await customer.client.orders.place.mutate({ items: [{ mpn: product.mpn, quantity: 2 }] });
    const id = pending.items[0]!.subscriptionId!;
    expect(await codeOf(customer.client.subscriptions.changeQuantity.mutate({ id, quantity: 3 }))).toBe("PRECONDITION_FAILED");
    expect(await codeOf(customer.client.subscriptions.cancel.mutate({ id }))).toBe("PRECONDITION_FAILED");
    expect(await codeOf(customer.client.orders.place.mutate({ type: "renewal", items: [{ subscriptionId: id }] }))).toBe(
      "PRECONDITION_FAILED",
    );
    expect(await codeOf(customer.client.subscriptions.changeQuantity.mutate({ id: "sub_nope", quantity: 3 }))).toBe("NOT_FOUND");
  });

  it("renews an active subscription at the current price, retired product included", async () => {
    const { product, customer, subscription } = await activeSubscription({ quantity: 4, msrp: 250 });
    await api.provider.products.retire.mutate({ id: product.id });
    const renewal = await customer.client.orders.place.mutate({ type: "renewal", items: [{ subscriptionId: subscription.id }] });
    expect(renewal).toMatchObject({ type: "renewal", total: { amount: 1000, currency: "USD" }, items: [{ quantity: 4 }] });
    expect(
      await codeOf(customer.client.orders.place.mutate({ type: "renewal", items: [{ subscriptionId: subscription.id, quantity: 5 }] })),
    ).toBe("BAD_REQUEST");
  });
});

describe("suspend and resume requests", () => {
  it("are the vendor side's, recorded for the worker with a subscription.updated event", async () => {
    const { reseller, customer, subscription } = await activeSubscription();
    expect(await codeOf(customer.client.subscriptions.suspend.mutate({ id: subscription.id }))).toBe("FORBIDDEN");
    expect(await codeOf((await api.account("reseller")).client.subscriptions.suspend.mutate({ id: subscription.id }))).toBe("NOT_FOUND");

    const requested = await reseller.client.subscriptions.suspend.mutate({ id: subscription.id });
    expect(requested).toMatchObject({ status: "active", pendingAction: "suspend", version: subscription.version + 1 });
    // Asking twice changes nothing; the opposite request must wait for the first to be carried out.
    expect((await api.provider.subscriptions.suspend.mutate({ id: subscription.id })).version).toBe(requested.version);
    expect(await codeOf(reseller.client.subscriptions.resume.mutate({ id: subscription.id }))).toBe("PRECONDITION_FAILED");

    const events = await reseller.client.events.list.query({ accountId: customer.account.id, type: "subscription.updated" });
    expect(events.items).toHaveLength(1);
    expect(events.items[0]!.data).toEqual(requested);

    // An active subscription with nothing pending is already resumed.
    const other = await activeSubscription();
    expect((await other.reseller.client.subscriptions.resume.mutate({ id: other.subscription.id })).pendingAction).toBeNull();
  });
});

describe("seats", () => {
  it("assigns users of the subscription's account, never more than the quantity", async () => {
    const { reseller, customer, subscription } = await activeSubscription({ quantity: 2 });
    const users = await Promise.all([1, 2, 3].map(() => api.user(customer.account.id, "service")));
    const admin = await api.user(customer.account.id, "admin");
    const assign = (userId: string, client = customer.client) => client.subscriptions.assignUser.mutate({ id: subscription.id, userId });

    const one = await assign(users[0]!.user.id);
    expect(one.assignedUserIds).toEqual([users[0]!.user.id]);
    expect((await assign(users[0]!.user.id)).assignedUserIds).toHaveLength(1); // assigning again is harmless
    await assign(admin.user.id, reseller.client); // admins consume services too; vendors in reach may assign
    expect(await codeOf(assign(users[1]!.user.id))).toBe("PRECONDITION_FAILED");

    // A user of another account, even one in the caller's reach, cannot take a seat.
    const sibling = await api.account("customer", { as: reseller.client });
    const outsider = await api.user(sibling.account.id, "service");
    expect(await codeOf(assign(outsider.user.id, reseller.client))).toBe("NOT_FOUND");

    // Going below the seats taken is refused until someone is unassigned.
    expect(await codeOf(customer.client.subscriptions.changeQuantity.mutate({ id: subscription.id, quantity: 1 }))).toBe(
      "PRECONDITION_FAILED",
    );
    const after = await customer.client.subscriptions.unassignUser.mutate({ id: subscription.id, userId: admin.user.id });
    expect(after.assignedUserIds).toEqual([users[0]!.user.id]);
    const reduce = await customer.client.subscriptions.changeQuantity.mutate({ id: subscription.id, quantity: 1 });
    // While that reduction is open the seat limit is the smaller quantity.
    expect(await codeOf(assign(users[1]!.user.id))).toBe("PRECONDITION_FAILED");
    await customer.client.orders.cancel.mutate({ id: reduce.id });

    const events = await customer.client.events.list.query({ type: "subscription.updated" });
    expect(events.items.map((e) => (e.data as { assignedUserIds: string[] }).assignedUserIds.length)).toEqual([1, 2, 1]);
  });

  it("holds the limit under concurrent assignments", async () => {
    const { customer, subscription } = await activeSubscription({ quantity: 3 });
    const users = await Promise.all(Array.from({ length: 8 }, () => api.user(customer.account.id, "service")));
    const client = api.clientFor(customer.key, { batch: false });
    const codes = await Promise.all(
      users.map((u) => codeOf(client.subscriptions.assignUser.mutate({ id: subscription.id, userId: u.user.id }))),
    );
    expect(codes.filter((c) => c === "OK")).toHaveLength(3);
    expect(codes.filter((c) => c === "PRECONDITION_FAILED")).toHaveLength(5);
    expect((await customer.client.subscriptions.get.query({ id: subscription.id })).assignedUserIds).toHaveLength(3);
  });
});
