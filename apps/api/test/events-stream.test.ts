import type { AppRouter } from "@canopy/api";
import { publishedProduct } from "@canopy/api/testing";
import type { CanopyEvent } from "@canopy/domain/shared";
import { createTRPCClient, httpSubscriptionLink } from "@trpc/client";
import { EventSource } from "eventsource";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { type Api, startApi } from "./harness";

let api: Api;
beforeAll(async () => {
  api = await startApi();
});
afterAll(() => api?.close());

/** A tRPC client that only subscribes, over SSE, with a bearer token (Node 20 has no global EventSource). */
function streamClient(key: string) {
  return createTRPCClient<AppRouter>({
    links: [
      httpSubscriptionLink({
        url: `${api.url}/trpc`,
        EventSource,
        eventSourceOptions: () => ({
          fetch: (input: string | URL | Request, init?: RequestInit) =>
            fetch(input, { ...init, headers: { ...(init?.headers as Record<string, string>), authorization: `Bearer ${key}` } }),
        }),
      }),
    ],
  });
}

/** Collects a subscription's events until stopped; resolves `started` once the stream is open. */
function collect(key: string, input: { lastEventId?: string; types?: CanopyEvent["type"][] } = {}) {
  const received: CanopyEvent[] = [];
  let open!: () => void;
  const started = new Promise<void>((resolve) => (open = resolve));
  const subscription = streamClient(key).events.stream.subscribe(input, {
    onStarted: () => open(),
    onData: (tracked) => received.push(tracked.data as CanopyEvent),
    onError: (error) => received.push({ error } as never),
  });
  return { received, started, stop: () => subscription.unsubscribe() };
}

describe("events.stream", () => {
  it("streams an order's events to its reseller and never a sibling's", async () => {
    const product = await publishedProduct(api);
    const reseller = await api.account("reseller");
    const sibling = await api.account("reseller");
    const customer = await api.account("customer", { vendorId: reseller.account.id, as: reseller.client });
    const mine = collect(reseller.key);
    const theirs = collect(sibling.key);
    await Promise.all([mine.started, theirs.started]);

    const order = await reseller.client.orders.place.mutate({ accountId: customer.account.id, items: [{ mpn: product.mpn, quantity: 2 }] });
    await vi.waitFor(() => expect(mine.received.map((e) => e.type)).toContain("order.created"), { timeout: 10_000 });
    const created = mine.received.find((e) => e.type === "order.created")!;
    expect(created).toMatchObject({ accountId: customer.account.id, data: { id: order.id } });
    // The sibling's own change arrives on its stream; the reseller's order never does.
    const siblingCustomer = await sibling.client.accounts.create.mutate({
      type: "customer",
      name: "Sibling's customer",
      contact: { email: `s-${api.unique()}@example.com` },
      address: { country: "DE" },
    });
    await vi.waitFor(() => expect(theirs.received.map((e) => e.type)).toContain("account.created"), { timeout: 10_000 });
    expect(theirs.received.map((e) => e.accountId)).toEqual([siblingCustomer.id]);
    expect(mine.received.every((e) => e.accountId === customer.account.id)).toBe(true);
    mine.stop();
    theirs.stop();
  });

  it("resumes after an event id with exactly the later events, oldest first, filtered by type", async () => {
    const reseller = await api.account("reseller");
    const ids: string[] = [];
    for (let i = 0; i < 3; i++) {
      await reseller.client.accounts.create.mutate({
        type: "customer",
        name: `Customer ${i}`,
        contact: { email: `c${i}-${api.unique()}@example.com` },
        address: { country: "DE" },
      });
    }
    const { items } = await reseller.client.events.list.query({ type: "account.created" });
    // The reseller's own creation, then its three customers'.
    ids.push(...items.map((e) => e.id).reverse());
    expect(ids).toHaveLength(4);

    const resumed = collect(reseller.key, { lastEventId: ids[1], types: ["account.created"] });
    await vi.waitFor(() => expect(resumed.received).toHaveLength(2), { timeout: 10_000 });
    expect(resumed.received.map((e) => e.id)).toEqual(ids.slice(2));
    resumed.stop();
  });
});
