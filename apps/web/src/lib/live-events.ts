import type { EventType } from "@canopy/domain/event-types";
import { useSubscription } from "@trpc/tanstack-react-query";
import { useEffect, useRef } from "react";
import { queryClient, trpc } from "../trpc";
import { type LiveState, setLiveState } from "./live";

/** The first word of an event type: "order" of "order.completed", "webhook" of "webhook.endpoint.disabled". */
type Family = EventType extends `${infer F}.${string}` ? F : never;

/**
 * The cached reads an event of each family may have changed. A Record, so that a family the
 * domain adds fails the typecheck here until the panel knows what it touches.
 */
const affected: Record<Family, () => readonly (readonly unknown[])[]> = {
  // A completed order starts or changes subscriptions.
  order: () => [trpc.orders.pathKey(), trpc.subscriptions.pathKey()],
  subscription: () => [trpc.subscriptions.pathKey()],
  // The signed-in person's own account or user may be the one that changed.
  account: () => [trpc.accounts.pathKey(), trpc.auth.pathKey()],
  user: () => [trpc.users.pathKey(), trpc.auth.pathKey()],
  webhook: () => [trpc.webhooks.endpoints.pathKey()],
  statement: () => [trpc.billing.pathKey()],
  // Catalog changes show in the catalog, the price lists and what an order may buy.
  product: () => [trpc.products.pathKey(), trpc.prices.pathKey()],
  price: () => [trpc.prices.pathKey(), trpc.products.pathKey()],
  apiKey: () => [trpc.apiKeys.pathKey()],
};

/** Marks what an event changed as stale; the screens showing it re-read it at once. */
export function invalidateFor(type: EventType): void {
  const family = type.slice(0, type.indexOf(".")) as Family;
  // Every event lands in the event log and may be delivered to webhook endpoints.
  const keys = [...(affected[family]?.() ?? []), trpc.events.list.pathKey(), trpc.webhooks.deliveries.pathKey()];
  for (const queryKey of keys) void queryClient.invalidateQueries({ queryKey });
}

/** After a fatal stream error (not a drop, which the link retries itself), try again this much later. */
const RETRY_AFTER_MS = 5000;

/**
 * The signed-in session's one event stream (the app shell holds it): each event invalidates the
 * reads it affects, so screens follow changes made elsewhere without polling. The server scopes
 * the stream to what the caller may read. tRPC's SSE link reconnects after a drop and resumes
 * after the last event id it saw, so nothing in between is lost.
 */
export function useLiveEvents(): LiveState {
  const stream = useSubscription(
    trpc.events.stream.subscriptionOptions(
      {},
      {
        onData: (tracked) => invalidateFor(tracked.data.type),
      },
    ),
  );
  const state: LiveState = stream.status === "pending" ? "live" : stream.status === "error" ? "offline" : "connecting";
  const previous = useRef(state);
  useEffect(() => {
    setLiveState(state);
    // A screen decides whether to poll each time it reads: on a drop, the screens on show re-read
    // now and so start polling until the stream is back (the replay after the last event id
    // covers the gap, and their next read stops the polling again).
    if (previous.current === "live" && state !== "live") void queryClient.invalidateQueries({ type: "active" });
    previous.current = state;
  }, [state]);
  const { reset } = stream;
  useEffect(() => {
    if (state !== "offline") return;
    const timer = setTimeout(reset, RETRY_AFTER_MS);
    return () => clearTimeout(timer);
  }, [state, reset]);
  useEffect(() => () => setLiveState("connecting"), []);
  return state;
}
