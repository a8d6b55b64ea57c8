import { provisioning } from "@canopy/domain/commerce";
import type { Processor } from "../queues";
import type { ProcessorDeps } from "./deps";

/** `subscription.updated` → a vendor's pending suspend/resume request is carried out. */
export function subscriptionRequestsProcessor({ db, connectors, log }: ProcessorDeps): Processor<"subscription-requests"> {
  return async ({ subjectId: subscriptionId }, job) => {
    const result = await provisioning.reconcileSubscription(db, subscriptionId, {
      connectors,
      finalAttempt: job.finalAttempt,
      attempt: job.attempt,
    });
    if (result.outcome !== "settled") log.warn({ subscriptionId, ...result }, "subscription request not carried out");
    return result;
  };
}
