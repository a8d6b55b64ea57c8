import { provisioning } from "@canopy/domain/commerce";
import type { Processor } from "../queues";
import type { ProcessorDeps } from "./deps";

/** `order.created` → the order is carried out through its products' connectors. */
export function orderProvisioningProcessor({ db, connectors, log }: ProcessorDeps): Processor<"order-provisioning"> {
  return async ({ subjectId: orderId }, job) => {
    const ctx = { connectors, finalAttempt: job.finalAttempt, attempt: job.attempt };
    const outcome = await provisioning.processOrder(db, orderId, ctx);
    // An account put on hold while the order was waiting applies to what it just provisioned.
    for (const subscriptionId of await provisioning.subscriptionsOfOrder(db, orderId)) {
      await provisioning.reconcileSubscription(db, subscriptionId, ctx);
    }
    if (outcome === "error") log.info({ orderId }, "order failed");
    return { outcome };
  };
}
