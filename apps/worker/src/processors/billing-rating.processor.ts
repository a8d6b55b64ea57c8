import { rateCompletedOrder } from "@canopy/domain/billing";
import type { Processor } from "../queues";
import type { ProcessorDeps } from "./deps";

/** `order.completed` → what the order billed is rated at every tier of its chain (idempotent). */
export function billingRatingProcessor({ db }: ProcessorDeps): Processor<"billing-rating"> {
  return async ({ subjectId: orderId }) => ({ charges: await rateCompletedOrder(db, orderId) });
}
