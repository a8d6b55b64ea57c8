import { product, products, productsCreateInput, productsPage, productsGetInput, productsListInput, productsUpdateInput } from "@canopy/domain/catalog";
import { authedProcedure, router } from "../trpc";
import { byId } from "./inputs";

export const productsRouter = router({
  create: authedProcedure.input(productsCreateInput).output(product).mutation(({ ctx, input }) => products.createProduct(ctx.db, ctx.actor, input, ctx.connectors)),
  update: authedProcedure
    .input(productsUpdateInput)
    .output(product)
    .mutation(({ ctx, input }) => ctx.tx((trx) => products.updateProductDetails(trx, ctx.actor, input, ctx.connectors))),
  publish: authedProcedure.input(byId).output(product).mutation(({ ctx, input }) => ctx.tx((trx) => products.publishProduct(trx, ctx.actor, input.id))),
  retire: authedProcedure.input(byId).output(product).mutation(({ ctx, input }) => ctx.tx((trx) => products.retireProduct(trx, ctx.actor, input.id))),
  get: authedProcedure.input(productsGetInput).output(product).query(({ ctx, input }) => products.getProduct(ctx.db, ctx.actor, input)),
  list: authedProcedure
    .input(productsListInput.prefault({}))
    .output(productsPage)
    .query(({ ctx, input }) => products.listProducts(ctx.db, ctx.actor, input)),
});
