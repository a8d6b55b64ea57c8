// The event types the platform emits, in a module of its own without imports: the user panel
// (apps/web) takes the list from here through `@canopy/domain/event-types` and so bundles these
// strings and nothing of the server.
export const eventTypes = [
  "account.created",
  "account.updated",
  "account.statusChanged",
  "user.created",
  "user.updated",
  "user.disabled",
  "order.created",
  "order.processing",
  "order.completed",
  "order.failed",
  "order.retried",
  "order.cancelled",
  "subscription.created",
  "subscription.activated",
  "subscription.updated",
  "subscription.suspended",
  "subscription.resumed",
  "subscription.terminated",
  "webhook.endpoint.disabled",
  "statement.issued",
] as const;
export type EventType = (typeof eventTypes)[number];
