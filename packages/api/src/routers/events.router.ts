import { events, eventsListInput, eventsPage, eventsStreamInput, streamEvents } from "@canopy/domain/messaging";
import { canopyEvent } from "@canopy/domain/shared";
import { tracked } from "@trpc/server";
import { authedProcedure, router } from "../trpc";
import { byId } from "./inputs";
import { rest } from "./rest";

export const eventsRouter = router({
  get: authedProcedure
    .meta(rest("GET", "/events/{id}", "Get an event"))
    .input(byId)
    .output(canopyEvent)
    .query(({ ctx, input }) => events.getEvent(ctx.db, ctx.actor, input.id)),
  list: authedProcedure
    .meta(rest("GET", "/events", "List events, newest first"))
    .input(eventsListInput.prefault({}))
    .output(eventsPage)
    .query(({ ctx, input }) => events.listEvents(ctx.db, ctx.actor, input)),
  /** Server-sent events; each carries its event id, so a reconnecting client resumes after it. */
  stream: authedProcedure.input(eventsStreamInput.prefault({})).subscription(async function* ({ ctx, input, signal }) {
    for await (const event of streamEvents(ctx.db, ctx.actor, input, { wakeups: ctx.eventWakeups, signal })) {
      yield tracked(event.id, event);
    }
  }),
});
