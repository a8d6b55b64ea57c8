import { price, prices, pricesListInput, pricesPage, pricesRemoveInput, pricesSetInput } from "@canopy/domain/catalog";
import { authedProcedure, router } from "../trpc";
import { rest } from "./rest";

export const pricesRouter = router({
  set: authedProcedure
    .meta(rest("PUT", "/prices", "Set the price of an MPN for the accounts below the caller"))
    .input(pricesSetInput)
    .output(price)
    .mutation(({ ctx, input }) => ctx.tx((trx) => prices.setPrice(trx, ctx.actor, input))),
  remove: authedProcedure
    .meta(rest("DELETE", "/prices", "Remove a price"))
    .input(pricesRemoveInput)
    .output(price)
    .mutation(({ ctx, input }) => ctx.tx((trx) => prices.removePrice(trx, ctx.actor, input))),
  list: authedProcedure
    .meta(rest("GET", "/prices", "List prices"))
    .input(pricesListInput.prefault({}))
    .output(pricesPage)
    .query(({ ctx, input }) => prices.listPrices(ctx.db, ctx.actor, input)),
});
