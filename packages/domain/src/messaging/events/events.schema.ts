import { canopyEvent, eventActorType, eventType, listInput, pageOutput } from "@canopy/domain/shared";
import { z } from "zod";

export const eventsListInput = listInput.extend({
  /** One type (the older form of `types`); with `types` too, an event must match both. */
  type: eventType.optional(),
  /** Only these types; absent or empty: every type. */
  types: z.array(eventType).max(50).optional(),
  /** Only events caused by this kind of actor. */
  actorType: eventActorType.optional(),
  /** Only events caused by this user, API key or part of the system (`system:provisioning`). */
  actorId: z.string().min(1).max(100).optional(),
  accountId: z.string().min(1).optional(),
  since: z.iso.datetime().optional(),
  until: z.iso.datetime().optional(),
});
export type EventsListInput = z.infer<typeof eventsListInput>;

export const eventsStreamInput = z.strictObject({
  /** Resume after this event (tRPC sets it from the SSE `Last-Event-ID` on reconnect). */
  lastEventId: z.string().min(1).max(100).nullish(),
  /** Only these types; absent or empty: every type. */
  types: z.array(eventType).max(50).optional(),
});
export type EventsStreamInput = z.infer<typeof eventsStreamInput>;

export const eventsPage = pageOutput(canopyEvent);
