import { price, prices, pricesListInput, pricesPage, pricesRemoveInput, pricesSetInput } from "@canopy/domain/catalog";
import { authedProcedure, router } from "../trpc";

export const pricesRouter = router({
  set: authedProcedure.input(pricesSetInput).output(price).mutation(({ ctx, input }) => prices.setPrice(ctx.db, ctx.actor, input)),
  remove: authedProcedure.input(pricesRemoveInput).output(price).mutation(({ ctx, input }) => prices.removePrice(ctx.db, ctx.actor, input)),
  list: authedProcedure.input(pricesListInput.prefault({})).output(pricesPage).query(({ ctx, input }) => prices.listPrices(ctx.db, ctx.actor, input)),
});
