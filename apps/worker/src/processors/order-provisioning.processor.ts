import { provisioning } from "@canopy/domain/commerce";
import { UnrecoverableError } from "bullmq";
import type { Processor } from "../queues";
import type { ProcessorDeps } from "./deps";

/**
 * `order.created` / `order.retried` → the order is carried out through its products' connectors.
 * An order that ends in `error` fails its job (no further attempt: the order is settled), so the
 * dashboard's Failed tab and the queue metrics count it, with the order's reason as the job's.
 */
export function orderProvisioningProcessor({
  db,
  connectors,
  log,
  webhooks,
  onOrderSettled,
}: ProcessorDeps): Processor<"order-provisioning"> {
  return async ({ subjectId: orderId }, job) => {
    // Counted where the order is settled, so a run that finds it already settled (a first run
    // in process and its queued copy, a stalled job run again) does not count it twice.
    // Its subscriptions' and the order's events go out to webhooks as each transaction commits.
    const ctx = {
      connectors,
      finalAttempt: job.finalAttempt,
      attempt: job.attempt,
      onSettled: onOrderSettled,
      publisherFor: webhooks.publisherFor,
    };
    const outcome = await provisioning.processOrder(db, orderId, ctx);
    // An account put on hold while the order was waiting applies to what it just provisioned.
    for (const subscriptionId of await provisioning.subscriptionsOfOrder(db, orderId)) {
      await provisioning.reconcileSubscription(db, subscriptionId, ctx);
    }
    if (outcome === "missing") return { outcome };
    if (outcome === "error") {
      const order = await provisioning.orderOutcomeOf(db, orderId);
      const reason = order?.errorMessage ?? "order failed";
      log.warn({ orderId, reason }, "order failed");
      throw new UnrecoverableError(reason);
    }
    return { outcome };
  };
}
