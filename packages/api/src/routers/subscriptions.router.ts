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

export const subscriptionsRouter = router({
  get: authedProcedure.input(byId).output(subscription).query(({ ctx, input }) => subscriptions.getSubscription(ctx.db, ctx.actor, input.id)),
  list: authedProcedure
    .input(subscriptionsListInput.prefault({}))
    .output(subscriptionsPage)
    .query(({ ctx, input }) => subscriptions.listSubscriptions(ctx.db, ctx.actor, input)),
  changeQuantity: authedProcedure
    .input(subscriptionsChangeQuantityInput)
    .output(order)
    .mutation(({ ctx, input }) => ctx.tx((trx) => subscriptions.changeQuantity(trx, ctx.actor, input))),
  cancel: authedProcedure
    .input(subscriptionsCancelInput)
    .output(order)
    .mutation(({ ctx, input }) => ctx.tx((trx) => subscriptions.cancelSubscription(trx, ctx.actor, input))),
  suspend: authedProcedure
    .input(byId)
    .output(subscription)
    .mutation(({ ctx, input }) => ctx.tx((trx) => subscriptions.suspendSubscription(trx, ctx.actor, input.id))),
  resume: authedProcedure
    .input(byId)
    .output(subscription)
    .mutation(({ ctx, input }) => ctx.tx((trx) => subscriptions.resumeSubscription(trx, ctx.actor, input.id))),
  assignUser: authedProcedure
    .input(subscriptionsSeatInput)
    .output(subscription)
    .mutation(({ ctx, input }) => ctx.tx((trx) => subscriptions.assignUser(trx, ctx.actor, input))),
  setAutoRenew: authedProcedure
    .input(subscriptionsSetAutoRenewInput)
    .mutation(({ ctx, input }) => ctx.tx((trx) => subscriptions.setAutoRenew(trx, ctx.actor, input))),
  unassignUser: authedProcedure
    .input(subscriptionsSeatInput)
    .output(subscription)
    .mutation(({ ctx, input }) => ctx.tx((trx) => subscriptions.unassignUser(trx, ctx.actor, input))),
});
