import {
  deliveriesListInput,
  endpointsCreateInput,
  endpointsDisableInput,
  endpointsListInput,
  endpointsRecoverInput,
  endpointsSendTestInput,
  endpointsUpdateInput,
  webhookDeliveries,
  webhookEndpoints,
} from "@canopy/domain/messaging";
import { authedProcedure, router } from "../trpc";
import { byId } from "./inputs";

const endpointsRouter = router({
  create: authedProcedure
    .input(endpointsCreateInput)
    .mutation(({ ctx, input }) => ctx.tx((trx) => webhookEndpoints.createEndpoint(trx, ctx.actor, ctx.webhooks, input))),
  get: authedProcedure.input(byId).query(({ ctx, input }) => webhookEndpoints.getEndpoint(ctx.db, ctx.actor, input.id)),
  list: authedProcedure
    .input(endpointsListInput.prefault({}))
    .query(({ ctx, input }) => webhookEndpoints.listEndpoints(ctx.db, ctx.actor, input)),
  update: authedProcedure
    .input(endpointsUpdateInput)
    .mutation(({ ctx, input }) => ctx.tx((trx) => webhookEndpoints.updateEndpoint(trx, ctx.actor, ctx.webhooks, input))),
  delete: authedProcedure
    .input(byId)
    .mutation(({ ctx, input }) => ctx.tx((trx) => webhookEndpoints.deleteEndpoint(trx, ctx.actor, input.id))),
  enable: authedProcedure
    .input(byId)
    .mutation(({ ctx, input }) => ctx.tx((trx) => webhookEndpoints.enableEndpoint(trx, ctx.actor, input.id))),
  disable: authedProcedure
    .input(endpointsDisableInput)
    .mutation(({ ctx, input }) => ctx.tx((trx) => webhookEndpoints.disableEndpoint(trx, ctx.actor, input))),
  rotateSecret: authedProcedure
    .input(byId)
    .mutation(({ ctx, input }) => ctx.tx((trx) => webhookEndpoints.rotateSecret(trx, ctx.actor, ctx.webhooks, input.id))),
  recover: authedProcedure
    .input(endpointsRecoverInput)
    .mutation(({ ctx, input }) => ctx.tx((trx) => webhookEndpoints.recoverEndpoint(trx, ctx.actor, input))),
  // Outside a transaction: the test request may take up to the delivery timeout.
  sendTest: authedProcedure
    .input(endpointsSendTestInput)
    .mutation(({ ctx, input }) => webhookEndpoints.sendTest(ctx.db, ctx.actor, ctx.webhooks, input)),
});

const deliveriesRouter = router({
  list: authedProcedure
    .input(deliveriesListInput.prefault({}))
    .query(({ ctx, input }) => webhookDeliveries.listDeliveries(ctx.db, ctx.actor, input)),
  get: authedProcedure.input(byId).query(({ ctx, input }) => webhookDeliveries.getDelivery(ctx.db, ctx.actor, input.id)),
  retry: authedProcedure
    .input(byId)
    .mutation(({ ctx, input }) => ctx.tx((trx) => webhookDeliveries.retryDelivery(trx, ctx.actor, input.id))),
});

export const webhooksRouter = router({ endpoints: endpointsRouter, deliveries: deliveriesRouter });
