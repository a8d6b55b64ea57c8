// The event types an endpoint may filter on, as the API names them (the domain's list).
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
  "order.cancelled",
  "subscription.created",
  "subscription.activated",
  "subscription.updated",
  "subscription.suspended",
  "subscription.resumed",
  "subscription.terminated",
  "webhook.endpoint.disabled",
] as const;
export type EventType = (typeof eventTypes)[number];
