import { prices, pricesListInput, pricesRemoveInput, pricesSetInput } from "@canopy/domain/catalog";
import { authedProcedure, router } from "../trpc";

export const pricesRouter = router({
  set: authedProcedure.input(pricesSetInput).mutation(({ ctx, input }) => prices.setPrice(ctx.db, ctx.actor, input)),
  remove: authedProcedure.input(pricesRemoveInput).mutation(({ ctx, input }) => prices.removePrice(ctx.db, ctx.actor, input)),
  list: authedProcedure.input(pricesListInput.prefault({})).query(({ ctx, input }) => prices.listPrices(ctx.db, ctx.actor, input)),
});
