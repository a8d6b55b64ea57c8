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
] as const;
export const eventType = z.enum(eventTypes);
export type EventType = z.infer<typeof eventType>;

export const canopyEvent = z
  .object({
    id: z.string(),
    type: eventType,
    accountId: z.string(),
    occurredAt: z.string().meta({ format: "date-time" }),
    /** The resource after the change (docs/events.md). */
    data: z.unknown(),
  })
  .meta({ id: "Event" });

export interface CanopyEvent<T = unknown> {
  id: string;
  type: EventType;
  accountId: string;
  occurredAt: string;
  data: T;
}
