import type { QueueName } from "@canopy/domain/messaging";
import type { Processor } from "../queues";
import { accountStatusProcessor } from "./account-status.processor";
import { billingClockProcessor } from "./billing-clock.processor";
import { billingRatingProcessor } from "./billing-rating.processor";
import type { ProcessorDeps } from "./deps";
import { orderProvisioningProcessor } from "./order-provisioning.processor";
import { subscriptionRequestsProcessor } from "./subscription-requests.processor";
import { webhookDeliveryProcessor } from "./webhook-delivery.processor";

/** One processor per queue; a queue of the domain's map without one here fails the type check. */
export const processors: { [Q in QueueName]: (deps: ProcessorDeps) => Processor<Q> } = {
  "order-provisioning": orderProvisioningProcessor,
  "account-status": accountStatusProcessor,
  "subscription-requests": subscriptionRequestsProcessor,
  "webhook-delivery": webhookDeliveryProcessor,
  "billing-rating": billingRatingProcessor,
  "billing-clock": billingClockProcessor,
};
