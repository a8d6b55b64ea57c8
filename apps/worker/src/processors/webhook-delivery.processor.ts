import { UnrecoverableError } from "bullmq";
import type { Processor } from "../queues";
import type { ProcessorDeps } from "./deps";

/**
 * One attempt of one delivery. A job whose endpoint already has its share of requests in flight
 * goes back to the delayed set without sending, so a slow receiver never holds the worker
 * slots that deliveries to other endpoints need.
 */
export function webhookDeliveryProcessor({ webhooks }: ProcessorDeps): Processor<"webhook-delivery"> {
  return async (payload, job) => {
    const answer = await webhooks.attempt(payload, job.jobId);
    // Wait about as long as the endpoint's oldest request has taken so far: 50 ms for a
    // receiver that answers at once, up to slotWaitMs for one that hangs.
    if (!answer.sent) return job.postpone(webhooks.postponeMs(answer.busyForMs));
    const { outcome } = answer;
    if (outcome.kind === "failed") {
      // Given up (docs/webhooks.md): the job fails too, so the dashboard shows what the API shows.
      const reason = outcome.delivery.last_error ?? (outcome.delivery.last_status ? `HTTP ${outcome.delivery.last_status}` : "gave up");
      throw new UnrecoverableError(`delivery ${payload.deliveryId} gave up: ${reason}`);
    }
    return outcome.kind === "stale" ? { outcome: "stale" } : { outcome: outcome.kind, status: outcome.delivery.last_status };
  };
}
