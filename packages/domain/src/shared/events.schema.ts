import { z } from "zod";

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
  // The audit trail's additions (docs/events.md): catalog, prices, API keys, endpoint management.
  "product.created",
  "product.updated",
  "product.statusChanged",
  "price.created",
  "price.updated",
  "price.removed",
  "apiKey.created",
  "apiKey.revoked",
  "webhook.endpoint.created",
  "webhook.endpoint.updated",
  "webhook.endpoint.enabled",
  "webhook.endpoint.deleted",
  "webhook.endpoint.secretRotated",
] as const;
export const eventType = z.enum(eventTypes);
export type EventType = z.infer<typeof eventType>;

export const eventActorType = z.enum(["user", "api_key", "system"]);

/** Who caused an event (docs/events.md#who-did-it). */
export const eventActor = z
  .object({
    type: eventActorType,
    /** The user id or API key id; for the system, which part of it (`system:provisioning`, …). */
    id: z.string().nullable(),
  })
  .meta({ id: "EventActor" });

export const canopyEvent = z
  .object({
    id: z.string(),
    type: eventType,
    accountId: z.string(),
    occurredAt: z.string().meta({ format: "date-time" }),
    actor: eventActor,
    /** The X-Request-Id of the API request that made the change; null for the system's own work. */
    requestId: z.string().nullable(),
    /** The resource after the change (docs/events.md). */
    data: z.unknown(),
  })
  .meta({ id: "Event" });

export interface CanopyEvent<T = unknown> {
  id: string;
  type: EventType;
  accountId: string;
  occurredAt: string;
  actor: { type: "user" | "api_key" | "system"; id: string | null };
  requestId: string | null;
  data: T;
}
