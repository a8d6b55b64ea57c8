import type { EventType } from "@canopy/domain/event-types";
import type { QueryKey } from "@tanstack/react-query";
import { queryClient, trpc } from "../trpc";

/**
 * A kind of change, named as its events are: the first word of the event type ("order" of
 * "order.completed", "webhook" of "webhook.endpoint.disabled"). Every change the panel makes is
 * recorded as such an event.
 */
export type Change = EventType extends `${infer F}.${string}` ? F : never;

/**
 * The cached reads a change of each kind may have changed, whether the panel made it or the live
 * stream reports it (live-events.ts). A Record, so that a kind the domain adds fails the typecheck
 * here until the panel knows what it touches.
 *
 * Each is a pathKey: it matches every query under that path, plain or infinite, whatever its input.
 * A procedure's queryKey() would not do: without input it is `[path, { type: "query" }]`, which
 * matches the plain queries only, never the infinite ones the list screens hold.
 */
const affected: Record<Change, () => readonly QueryKey[]> = {
  // A completed order starts or changes subscriptions. Not orders.estimate: prices and the
  // account's status make it, and it is read afresh each time it shows.
  order: () => [trpc.orders.list.pathKey(), trpc.orders.get.pathKey(), trpc.subscriptions.pathKey()],
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

/** What a change of this kind may have made stale: its reads, and the event log, which records it. */
export function readsChangedBy(change: Change): QueryKey[] {
  // `?.`: an event of a kind newer than this build of the panel touches the event log only.
  return [...(affected[change]?.() ?? []), trpc.events.list.pathKey()];
}

/**
 * After a change the panel made itself: marks what it touched as stale and resolves once the
 * screens on show have re-read it, so that they show the change at once. The live stream's event
 * would do the same moments later, but the stream may be down (a proxy that drops SSE, a restart).
 */
export async function refreshAfter(change: Change): Promise<void> {
  await Promise.all(readsChangedBy(change).map((queryKey) => queryClient.invalidateQueries({ queryKey })));
}
