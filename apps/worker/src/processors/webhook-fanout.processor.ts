import { fanOutEvent } from "@canopy/domain";
import type { Processor } from "../queues";
import type { ProcessorDeps } from "./deps";

/** Every relayed event → one delivery per endpoint that should receive it, each its own job. */
export function webhookFanoutProcessor({ db, webhooks }: ProcessorDeps): Processor<"webhook-fanout"> {
  return async ({ eventId }) => {
    const jobs = await fanOutEvent(db, eventId);
    await webhooks.enqueue(jobs);
    return { deliveries: jobs.length };
  };
}
