import { z } from "zod";
import { eventTypes } from "./event-types";

export { eventTypes };
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
