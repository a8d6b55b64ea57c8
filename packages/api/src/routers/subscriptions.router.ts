import {
  order,
  subscription,
  subscriptions,
  subscriptionsCancelInput,
  subscriptionsChangeQuantityInput,
  subscriptionsListInput,
  subscriptionsPage,
  subscriptionsSeatInput,
  subscriptionsSetAutoRenewInput,
} from "@canopy/domain/commerce";
import { authedProcedure, router } from "../trpc";
import { byId } from "./inputs";
import { rest } from "./rest";

export const subscriptionsRouter = router({
  get: authedProcedure
    .meta(rest("GET", "/subscriptions/{id}", "Get a subscription"))
    .input(byId)
    .output(subscription)
    .query(({ ctx, input }) => subscriptions.getSubscription(ctx.db, ctx.actor, input.id)),
  list: authedProcedure
    .meta(rest("GET", "/subscriptions", "List subscriptions"))
    .input(subscriptionsListInput.prefault({}))
    .output(subscriptionsPage)
    .query(({ ctx, input }) => subscriptions.listSubscriptions(ctx.db, ctx.actor, input)),
  changeQuantity: authedProcedure
    .meta(rest("POST", "/subscriptions/{id}/quantity", "Change the quantity (places a change order)", { idempotent: true }))
    .input(subscriptionsChangeQuantityInput)
    .output(order)
    .mutation(({ ctx, input }) => ctx.tx((trx) => subscriptions.changeQuantity(trx, ctx.actor, input))),
  cancel: authedProcedure
    .meta(rest("POST", "/subscriptions/{id}/cancel", "Cancel (places a cancellation order)", { idempotent: true }))
    .input(subscriptionsCancelInput)
    .output(order)
    .mutation(({ ctx, input }) => ctx.tx((trx) => subscriptions.cancelSubscription(trx, ctx.actor, input))),
  suspend: authedProcedure
    .meta(rest("POST", "/subscriptions/{id}/suspend", "Suspend (a vendor request)"))
    .input(byId)
    .output(subscription)
    .mutation(({ ctx, input }) => ctx.tx((trx) => subscriptions.suspendSubscription(trx, ctx.actor, input.id))),
  resume: authedProcedure
    .meta(rest("POST", "/subscriptions/{id}/resume", "Resume (a vendor request)"))
    .input(byId)
    .output(subscription)
    .mutation(({ ctx, input }) => ctx.tx((trx) => subscriptions.resumeSubscription(trx, ctx.actor, input.id))),
  assignUser: authedProcedure
    .meta(rest("POST", "/subscriptions/{id}/seats", "Give a user a seat"))
    .input(subscriptionsSeatInput)
    .output(subscription)
    .mutation(({ ctx, input }) => ctx.tx((trx) => subscriptions.assignUser(trx, ctx.actor, input))),
  setAutoRenew: authedProcedure
    .input(subscriptionsSetAutoRenewInput)
    .mutation(({ ctx, input }) => ctx.tx((trx) => subscriptions.setAutoRenew(trx, ctx.actor, input))),
  unassignUser: authedProcedure
    .meta(rest("DELETE", "/subscriptions/{id}/seats/{userId}", "Take a user's seat back"))
    .input(subscriptionsSeatInput)
    .output(subscription)
    .mutation(({ ctx, input }) => ctx.tx((trx) => subscriptions.unassignUser(trx, ctx.actor, input))),
});
