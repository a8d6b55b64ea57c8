import {
  product,
  products,
  productsCreateInput,
  productsGetInput,
  productsListInput,
  productsPage,
  productsUpdateInput,
} from "@canopy/domain/catalog";
import { authedProcedure, router } from "../trpc";
import { byId } from "./inputs";
import { rest } from "./rest";

export const productsRouter = router({
  create: authedProcedure
    .meta(rest("POST", "/products", "Create a draft product"))
    .input(productsCreateInput)
    .output(product)
    .mutation(({ ctx, input }) => ctx.tx((trx) => products.createProduct(trx, ctx.actor, input, ctx.connectors))),
  update: authedProcedure
    .meta(rest("PATCH", "/products/{id}", "Change a product's details"))
    .input(productsUpdateInput)
    .output(product)
    .mutation(({ ctx, input }) => ctx.tx((trx) => products.updateProductDetails(trx, ctx.actor, input, ctx.connectors))),
  publish: authedProcedure
    .meta(rest("POST", "/products/{id}/publish", "Publish a product"))
    .input(byId)
    .output(product)
    .mutation(({ ctx, input }) => ctx.tx((trx) => products.publishProduct(trx, ctx.actor, input.id))),
  retire: authedProcedure
    .meta(rest("POST", "/products/{id}/retire", "Retire a product"))
    .input(byId)
    .output(product)
    .mutation(({ ctx, input }) => ctx.tx((trx) => products.retireProduct(trx, ctx.actor, input.id))),
  get: authedProcedure
    .meta(rest("GET", "/products/lookup", "Get a product by id or MPN"))
    .input(productsGetInput)
    .output(product)
    .query(({ ctx, input }) => products.getProduct(ctx.db, ctx.actor, input)),
  list: authedProcedure
    .meta(rest("GET", "/products", "List or search the catalog"))
    .input(productsListInput.prefault({}))
    .output(productsPage)
    .query(({ ctx, input }) => products.listProducts(ctx.db, ctx.actor, input)),
});
