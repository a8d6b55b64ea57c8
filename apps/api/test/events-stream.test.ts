import type { AppRouter } from "@canopy/api";
import { publishedProduct } from "@canopy/api/testing";
import type { CanopyEvent } from "@canopy/domain/shared";
import { createTRPCClient, httpSubscriptionLink } from "@trpc/client";
import { EventSource } from "eventsource";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { type Api, startApi } from "./harness";

let api: Api;
let closed = false;
beforeAll(async () => {
  api = await startApi();
});
afterAll(async () => {
  if (!closed) await api?.close();
});

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

/** GET /api/v1/events/stream read as raw SSE: the parsed messages so far and the comments seen. */
function restStream(key: string, headers: Record<string, string> = {}) {
  const abort = new AbortController();
  const messages: { id: string; event: CanopyEvent }[] = [];
  let text = "";
  let ended = false;
  const done = (async () => {
    const response = await fetch(`${api.url}/api/v1/events/stream?types=order.created,account.created`, {
      headers: { authorization: `Bearer ${key}`, ...headers },
      signal: abort.signal,
    });
    expect(response.headers.get("content-type")).toMatch(/^text\/event-stream/);
    const decoder = new TextDecoder();
    try {
      for await (const chunk of response.body!) {
        text += decoder.decode(chunk as Uint8Array, { stream: true });
        let end = text.indexOf("\n\n");
        while (end >= 0) {
          const block = text.slice(0, end);
          text = text.slice(end + 2);
          const id = /^id: (.*)$/m.exec(block)?.[1];
          const data = /^data: (.*)$/m.exec(block)?.[1];
          if (id && data) messages.push({ id, event: JSON.parse(data) });
          end = text.indexOf("\n\n");
        }
      }
    } catch (error) {
      if (!abort.signal.aborted) throw error;
    }
    ended = true;
  })();
  return { messages, done, stop: () => abort.abort(), ended: () => ended };
}

describe("GET /api/v1/events/stream", () => {
  it("sends the events in reach as text/event-stream with id: the event id, and resumes from Last-Event-ID", async () => {
    const reseller = await api.account("reseller");
    const sibling = await api.account("reseller");
    const live = restStream(reseller.key);
    const theirs = restStream(sibling.key);
    const make = (client: typeof reseller.client) =>
      client.accounts.create.mutate({
        type: "customer",
        name: "C",
        contact: { email: `c-${api.unique()}@example.com` },
        address: { country: "DE" },
      });
    // The stream starts when it opens: wait until a first event proves it is listening.
    await vi.waitFor(
      async () => {
        if (live.messages.length === 0) await make(reseller.client);
        expect(live.messages.length).toBeGreaterThan(0);
      },
      { timeout: 15_000, interval: 500 },
    );
    const before = live.messages.length;
    const created = [await make(reseller.client), await make(reseller.client), await make(reseller.client)];
    await vi.waitFor(() => expect(live.messages.length).toBe(before + 3), { timeout: 10_000 });
    const last3 = live.messages.slice(before);
    expect(last3.map((m) => m.event.accountId)).toEqual(created.map((c) => c.id));
    expect(last3.every((m) => m.id === m.event.id)).toBe(true);
    expect(theirs.messages).toEqual([]);

    const resumed = restStream(reseller.key, { "last-event-id": last3[0]!.id });
    await vi.waitFor(() => expect(resumed.messages.map((m) => m.id)).toEqual(last3.slice(1).map((m) => m.id)), { timeout: 10_000 });
    for (const s of [live, theirs, resumed]) s.stop();
    await Promise.all([live.done, theirs.done, resumed.done]);
  });

  it("refuses a caller without a credential in the REST error shape", async () => {
    const response = await fetch(`${api.url}/api/v1/events/stream`);
    expect(response.status).toBe(401);
    expect(await response.json()).toMatchObject({ code: "UNAUTHORIZED", fieldErrors: {} });
  });

  it("ends open streams cleanly when the server closes", async () => {
    const reseller = await api.account("reseller");
    const open = restStream(reseller.key);
    const trpc = collect(reseller.key);
    await trpc.started;
    await vi.waitFor(
      async () => {
        await reseller.client.accounts.create.mutate({
          type: "customer",
          name: "C",
          contact: { email: `c-${api.unique()}@example.com` },
          address: { country: "DE" },
        });
        expect(open.messages.length).toBeGreaterThan(0);
      },
      { timeout: 15_000, interval: 500 },
    );
    trpc.stop();
    const started = Date.now();
    closed = true;
    await api.close();
    await open.done;
    expect(open.ended()).toBe(true);
    expect(Date.now() - started).toBeLessThan(10_000);
  });
});
