import {
  deliveriesListInput,
  endpointsCreateInput,
  endpointsDisableInput,
  endpointsListInput,
  endpointsRecoverInput,
  endpointsSendTestInput,
  endpointsUpdateInput,
  webhookDeliveries,
  webhookDeliveriesPage,
  webhookDelivery,
  webhookDeliveryDetail,
  webhookEndpoint,
  webhookEndpointDeleted,
  webhookEndpoints,
  webhookEndpointsPage,
  webhookEndpointWithSecret,
  webhookRecovered,
} from "@canopy/domain/messaging";
import { authedProcedure, router } from "../trpc";
import { byId } from "./inputs";

const endpointsRouter = router({
  create: authedProcedure
    .input(endpointsCreateInput)
    .output(webhookEndpointWithSecret)
    .mutation(({ ctx, input }) => ctx.tx((trx) => webhookEndpoints.createEndpoint(trx, ctx.actor, ctx.webhooks, input))),
  get: authedProcedure.input(byId).output(webhookEndpoint).query(({ ctx, input }) => webhookEndpoints.getEndpoint(ctx.db, ctx.actor, input.id)),
  list: authedProcedure
    .input(endpointsListInput.prefault({}))
    .output(webhookEndpointsPage)
    .query(({ ctx, input }) => webhookEndpoints.listEndpoints(ctx.db, ctx.actor, input)),
  update: authedProcedure
    .input(endpointsUpdateInput)
    .output(webhookEndpoint)
    .mutation(({ ctx, input }) => ctx.tx((trx) => webhookEndpoints.updateEndpoint(trx, ctx.actor, ctx.webhooks, input))),
  delete: authedProcedure.input(byId).output(webhookEndpointDeleted).mutation(({ ctx, input }) => ctx.tx((trx) => webhookEndpoints.deleteEndpoint(trx, ctx.actor, input.id))),
  enable: authedProcedure.input(byId).output(webhookEndpoint).mutation(({ ctx, input }) => ctx.tx((trx) => webhookEndpoints.enableEndpoint(trx, ctx.actor, input.id))),
  disable: authedProcedure
    .input(endpointsDisableInput)
    .output(webhookEndpoint)
    .mutation(({ ctx, input }) => ctx.tx((trx) => webhookEndpoints.disableEndpoint(trx, ctx.actor, input))),
  rotateSecret: authedProcedure
    .input(byId)
    .output(webhookEndpointWithSecret)
    .mutation(({ ctx, input }) => ctx.tx((trx) => webhookEndpoints.rotateSecret(trx, ctx.actor, ctx.webhooks, input.id))),
  recover: authedProcedure
    .input(endpointsRecoverInput)
    .output(webhookRecovered)
    .mutation(({ ctx, input }) => ctx.tx((trx) => webhookEndpoints.recoverEndpoint(trx, ctx.actor, input))),
  // Outside a transaction: the test request may take up to the delivery timeout.
  sendTest: authedProcedure
    .input(endpointsSendTestInput)
    .output(webhookDeliveryDetail)
    .mutation(({ ctx, input }) => webhookEndpoints.sendTest(ctx.db, ctx.actor, ctx.webhooks, input)),
});

const deliveriesRouter = router({
  list: authedProcedure
    .input(deliveriesListInput.prefault({}))
    .output(webhookDeliveriesPage)
    .query(({ ctx, input }) => webhookDeliveries.listDeliveries(ctx.db, ctx.actor, input)),
  get: authedProcedure.input(byId).output(webhookDeliveryDetail).query(({ ctx, input }) => webhookDeliveries.getDelivery(ctx.db, ctx.actor, input.id)),
  retry: authedProcedure.input(byId).output(webhookDelivery).mutation(({ ctx, input }) => ctx.tx((trx) => webhookDeliveries.retryDelivery(trx, ctx.actor, input.id))),
});

export const webhooksRouter = router({ endpoints: endpointsRouter, deliveries: deliveriesRouter });
