import { z } from "zod";
import { eventTypes } from "./event-types";

export { eventTypes };
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
