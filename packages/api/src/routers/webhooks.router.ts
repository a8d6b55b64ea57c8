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
import { rest } from "./rest";

const endpointsRouter = router({
  create: authedProcedure
    .meta(rest("POST", "/webhooks/endpoints", "Create a webhook endpoint (its secret is shown once)"))
    .input(endpointsCreateInput)
    .output(webhookEndpointWithSecret)
    .mutation(({ ctx, input }) => ctx.tx((trx) => webhookEndpoints.createEndpoint(trx, ctx.actor, ctx.webhooks, input))),
  get: authedProcedure
    .meta(rest("GET", "/webhooks/endpoints/{id}", "Get an endpoint"))
    .input(byId)
    .output(webhookEndpoint)
    .query(({ ctx, input }) => webhookEndpoints.getEndpoint(ctx.db, ctx.actor, input.id)),
  list: authedProcedure
    .meta(rest("GET", "/webhooks/endpoints", "List endpoints"))
    .input(endpointsListInput.prefault({}))
    .output(webhookEndpointsPage)
    .query(({ ctx, input }) => webhookEndpoints.listEndpoints(ctx.db, ctx.actor, input)),
  update: authedProcedure
    .meta(rest("PATCH", "/webhooks/endpoints/{id}", "Change an endpoint"))
    .input(endpointsUpdateInput)
    .output(webhookEndpoint)
    .mutation(({ ctx, input }) => ctx.tx((trx) => webhookEndpoints.updateEndpoint(trx, ctx.actor, ctx.webhooks, input))),
  delete: authedProcedure
    .meta(rest("DELETE", "/webhooks/endpoints/{id}", "Delete an endpoint"))
    .input(byId)
    .output(webhookEndpointDeleted)
    .mutation(({ ctx, input }) => ctx.tx((trx) => webhookEndpoints.deleteEndpoint(trx, ctx.actor, input.id))),
  enable: authedProcedure
    .meta(rest("POST", "/webhooks/endpoints/{id}/enable", "Enable an endpoint"))
    .input(byId)
    .output(webhookEndpoint)
    .mutation(({ ctx, input }) => ctx.tx((trx) => webhookEndpoints.enableEndpoint(trx, ctx.actor, input.id))),
  disable: authedProcedure
    .meta(rest("POST", "/webhooks/endpoints/{id}/disable", "Disable an endpoint"))
    .input(endpointsDisableInput)
    .output(webhookEndpoint)
    .mutation(({ ctx, input }) => ctx.tx((trx) => webhookEndpoints.disableEndpoint(trx, ctx.actor, input))),
  rotateSecret: authedProcedure
    .meta(rest("POST", "/webhooks/endpoints/{id}/rotate-secret", "Rotate the signing secret"))
    .input(byId)
    .output(webhookEndpointWithSecret)
    .mutation(({ ctx, input }) => ctx.tx((trx) => webhookEndpoints.rotateSecret(trx, ctx.actor, ctx.webhooks, input.id))),
  recover: authedProcedure
    .meta(rest("POST", "/webhooks/endpoints/{id}/recover", "Re-send what the endpoint missed since a time"))
    .input(endpointsRecoverInput)
    .output(webhookRecovered)
    .mutation(({ ctx, input }) => ctx.tx((trx) => webhookEndpoints.recoverEndpoint(trx, ctx.actor, input))),
  // Outside a transaction: the test request may take up to the delivery timeout.
  sendTest: authedProcedure
    .meta(rest("POST", "/webhooks/endpoints/{id}/test", "Send a test message now"))
    .input(endpointsSendTestInput)
    .output(webhookDeliveryDetail)
    .mutation(({ ctx, input }) => webhookEndpoints.sendTest(ctx.db, ctx.actor, ctx.webhooks, input)),
});

const deliveriesRouter = router({
  list: authedProcedure
    .meta(rest("GET", "/webhooks/deliveries", "List deliveries (e.g. ?status=failed)"))
    .input(deliveriesListInput.prefault({}))
    .output(webhookDeliveriesPage)
    .query(({ ctx, input }) => webhookDeliveries.listDeliveries(ctx.db, ctx.actor, input)),
  get: authedProcedure
    .meta(rest("GET", "/webhooks/deliveries/{id}", "Get a delivery and its attempts"))
    .input(byId)
    .output(webhookDeliveryDetail)
    .query(({ ctx, input }) => webhookDeliveries.getDelivery(ctx.db, ctx.actor, input.id)),
  retry: authedProcedure
    .meta(rest("POST", "/webhooks/deliveries/{id}/retry", "Retry a delivery now"))
    .input(byId)
    .output(webhookDelivery)
    .mutation(({ ctx, input }) => ctx.tx((trx) => webhookDeliveries.retryDelivery(trx, ctx.actor, input.id))),
});

export const webhooksRouter = router({ endpoints: endpointsRouter, deliveries: deliveriesRouter });
