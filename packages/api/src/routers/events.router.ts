import { events, eventsListInput, eventsStreamInput, streamEvents } from "@canopy/domain/messaging";
import { tracked } from "@trpc/server";
import { authedProcedure, router } from "../trpc";
import { byId } from "./inputs";

export const eventsRouter = router({
  get: authedProcedure.input(byId).query(({ ctx, input }) => events.getEvent(ctx.db, ctx.actor, input.id)),
  list: authedProcedure
    .input(eventsListInput.prefault({}))
    .query(({ ctx, input }) => events.listEvents(ctx.db, ctx.actor, input)),
  /** Server-sent events; each carries its event id, so a reconnecting client resumes after it. */
  stream: authedProcedure.input(eventsStreamInput.prefault({})).subscription(async function* ({ ctx, input, signal }) {
    for await (const event of streamEvents(ctx.db, ctx.actor, input, { wakeups: ctx.eventWakeups, signal })) {
      yield tracked(event.id, event);
    }
  }),
});
