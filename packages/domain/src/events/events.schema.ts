import { z } from "zod";
import { listInput } from "../shared/pagination";

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
export const eventType = z.enum(eventTypes);
export type EventType = z.infer<typeof eventType>;

export interface CanopyEvent<T = unknown> {
  id: string;
  type: EventType;
  accountId: string;
  occurredAt: string;
  data: T;
}

export const eventsListInput = listInput.extend({
  type: eventType.optional(),
  accountId: z.string().min(1).optional(),
  since: z.iso.datetime().optional(),
  until: z.iso.datetime().optional(),
});
export type EventsListInput = z.infer<typeof eventsListInput>;
