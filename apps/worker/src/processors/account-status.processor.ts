import { provisioning } from "@canopy/domain/commerce";
import type { Processor } from "../queues";
import type { ProcessorDeps } from "./deps";

/** `account.statusChanged` → the subtree's subscriptions are suspended, resumed or terminated. */
export function accountStatusProcessor({ db, connectors, log }: ProcessorDeps): Processor<"account-status"> {
  return async ({ subjectId: accountId, eventId }, job) => {
    const result = await provisioning.applyAccountStatus(db, accountId, {
      connectors,
      finalAttempt: job.finalAttempt,
      attempt: job.attempt,
    });
    if (result.problems.length)
      log.warn({ accountId, eventId, problems: result.problems }, "some subscriptions could not follow the account status");
    return result;
  };
}
