import { eventType, listInput } from "@canopy/domain/shared";
import { z } from "zod";

export const eventsListInput = listInput.extend({
  type: eventType.optional(),
  accountId: z.string().min(1).optional(),
  since: z.iso.datetime().optional(),
  until: z.iso.datetime().optional(),
});
export type EventsListInput = z.infer<typeof eventsListInput>;
