import { attemptDelivery } from "@canopy/domain/messaging";
import { UnrecoverableError } from "bullmq";
import type { Processor } from "../queues";
import type { ProcessorDeps } from "./deps";

/**
 * One attempt of one delivery. A job whose endpoint already has its share of requests in flight
 * goes back to the delayed set without sending, so a slow receiver never holds the worker
 * slots that deliveries to other endpoints need.
 */
export function webhookDeliveryProcessor({ db, log, webhooks }: ProcessorDeps): Processor<"webhook-delivery"> {
  return async (payload, job) => {
    const holder = job.jobId;
    const slot = await webhooks.slots.acquire(payload.endpointId, holder);
    if (!slot.granted) {
      // Wait about as long as the endpoint's oldest request has taken so far: 50 ms for a
      // receiver that answers at once, up to slotWaitMs for one that hangs.
      const wait = Math.min(webhooks.slotWaitMs, Math.max(50, slot.busyForMs));
      return job.postpone(Math.round(wait * (0.5 + Math.random())));
    }
    let outcome: Awaited<ReturnType<typeof attemptDelivery>>;
    try {
      outcome = await attemptDelivery(db, webhooks.settings, webhooks.sender, payload, { log: webhooks.deliveryLog });
    } finally {
      // Not awaited: the job's outcome does not depend on it (see EndpointSlots.release).
      void webhooks.slots.release(payload.endpointId, holder);
    }
    // Should this add fail, the sweep enqueues the retry when it is due: the row says when.
    if (outcome.kind === "retry") await webhooks.enqueue([outcome.retry], outcome.at);
    if (outcome.kind === "failed") {
      // Given up (docs/webhooks.md): the job fails too, so the dashboard shows what the API shows.
      const reason = outcome.delivery.last_error ?? (outcome.delivery.last_status ? `HTTP ${outcome.delivery.last_status}` : "gave up");
      log.warn({ deliveryId: payload.deliveryId, reason }, "webhook delivery failed for good");
      throw new UnrecoverableError(`delivery ${payload.deliveryId} gave up: ${reason}`);
    }
    return outcome.kind === "stale" ? { outcome: "stale" } : { outcome: outcome.kind, status: outcome.delivery.last_status };
  };
}
