import { events, eventsListInput } from "@canopy/domain/messaging";
import { authedProcedure, router } from "../trpc";
import { byId } from "./inputs";

export const eventsRouter = router({
  get: authedProcedure.input(byId).query(({ ctx, input }) => events.getEvent(ctx.db, ctx.actor, input.id)),
  list: authedProcedure.input(eventsListInput.prefault({})).query(({ ctx, input }) => events.listEvents(ctx.db, ctx.actor, input)),
});
