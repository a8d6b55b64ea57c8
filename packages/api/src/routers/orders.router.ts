import { order, orderEstimate, orders, ordersEstimateInput, ordersListInput, ordersPage, ordersPlaceInput } from "@canopy/domain/commerce";
import { authedProcedure, router } from "../trpc";
import { byId } from "./inputs";
import { rest } from "./rest";

export const ordersRouter = router({
  // A query: it records nothing, so clients may cache or retry it freely.
  estimate: authedProcedure
    .meta(rest("POST", "/orders/estimate", "Price an order without placing it"))
    .input(ordersEstimateInput)
    .output(orderEstimate)
    .query(({ ctx, input }) => orders.estimateOrder(ctx.db, ctx.actor, input)),
  place: authedProcedure
    .meta(rest("POST", "/orders", "Place an order", { idempotent: true }))
    .input(ordersPlaceInput)
    .output(order)
    .mutation(({ ctx, input }) => ctx.tx((trx) => orders.placeOrder(trx, ctx.actor, input))),
  get: authedProcedure
    .meta(rest("GET", "/orders/{id}", "Get an order"))
    .input(byId)
    .output(order)
    .query(({ ctx, input }) => orders.getOrder(ctx.db, ctx.actor, input.id)),
  list: authedProcedure
    .meta(rest("GET", "/orders", "List orders"))
    .input(ordersListInput.prefault({}))
    .output(ordersPage)
    .query(({ ctx, input }) => orders.listOrders(ctx.db, ctx.actor, input)),
  cancel: authedProcedure
    .meta(rest("POST", "/orders/{id}/cancel", "Cancel a submitted order"))
    .input(byId)
    .output(order)
    .mutation(({ ctx, input }) => ctx.tx((trx) => orders.cancelOrder(trx, ctx.actor, input.id))),
  // The vendor side gives an `error` order another run once the cause is gone (docs/orders.md).
  retry: authedProcedure
    .input(byId)
    .output(order)
    .mutation(({ ctx, input }) => ctx.tx((trx) => orders.retryOrder(trx, ctx.actor, input.id))),
});
