import { type EventType, eventType } from "@canopy/domain/shared";
import { z } from "zod";

/**
 * Every background queue of Canopy and the jobs it carries, in one place (docs/architecture.md).
 * The worker's typed `enqueue`/`register` helpers are built over this map, so a job's payload
 * is checked by the same zod schema where it is produced and where it is consumed.
 *
 * `fromEvents` names the event types the outbox relay copies into the queue (`"all"` for
 * every type); a queue without it is fed by other jobs only. To add a queue, add one entry.
 */

/** A relayed event: the processor re-reads current state from Postgres, so ids are enough. */
export const relayedEventPayload = z.object({
  eventId: z.string().min(1),
  type: eventType,
  accountId: z.string().min(1),
  /** The id of the resource the event is about (`data.id`): an order, an account, … */
  subjectId: z.string().min(1),
  /** Attempts already made before the queue ran the job (the worker's in-process first run). */
  attemptsBefore: z.number().int().min(0).optional(),
});
export type RelayedEventPayload = z.infer<typeof relayedEventPayload>;

/** One attempt of one webhook delivery; `attempt` is the number made before it (a stale one does nothing). */
export const webhookDeliveryPayload = z.object({
  deliveryId: z.string().min(1),
  endpointId: z.string().min(1),
  attempt: z.number().int().min(0),
});

/** A tick of billing's clock: place due renewals, or close the months that have ended. */
export const billingClockPayload = z.object({ task: z.enum(["renewals", "statements"]) });
export type BillingTask = z.infer<typeof billingClockPayload>["task"];

export interface QueueDefinition<P extends z.ZodType = z.ZodType> {
  payload: P;
  fromEvents?: readonly EventType[] | "all";
}

export const queueDefinitions = {
  /** Orders placed (or retried) through the API: provisioning through the product's connector. */
  "order-provisioning": { payload: relayedEventPayload, fromEvents: ["order.created", "order.retried"] },
  /** Account status changes: suspend, resume or terminate the subtree's subscriptions. */
  "account-status": { payload: relayedEventPayload, fromEvents: ["account.statusChanged"] },
  /** Vendor-side suspend/resume requests (`pending_action`, announced by `subscription.updated`). */
  "subscription-requests": { payload: relayedEventPayload, fromEvents: ["subscription.updated"] },
  /** Completed orders are rated at every tier of their chain (billing). */
  "billing-rating": { payload: relayedEventPayload, fromEvents: ["order.completed"] },
  /** Fed by two job schedulers (every minute): renewals due, and months to close. */
  "billing-clock": { payload: billingClockPayload },
  /** One attempt of one delivery; retries are delayed jobs of the same queue. */
  "webhook-delivery": { payload: webhookDeliveryPayload },
} as const satisfies Record<string, QueueDefinition>;

export type QueueName = keyof typeof queueDefinitions;
export const queueNames = Object.keys(queueDefinitions) as QueueName[];
export type JobPayload<Q extends QueueName> = z.infer<(typeof queueDefinitions)[Q]["payload"]>;

/** The queues a committed event of `type` is relayed to. */
export function queuesForEvent(type: EventType): QueueName[] {
  return queueNames.filter((name) => {
    const from = (queueDefinitions[name] as QueueDefinition).fromEvents;
    return from === "all" || (from?.includes(type) ?? false);
  });
}

/**
 * BullMQ ignores an add whose jobId already exists, so deterministic ids make re-adds (a relay
 * that crashed after pushing but before marking the rows relayed) harmless.
 * BullMQ refuses ids with ":" and integer-looking ids; ours are TypeIDs, so neither occurs.
 */
export const jobIds = {
  relayedEvent: (eventId: string) => eventId,
  /** Per attempt: a duplicate of a waiting or delayed attempt is dropped by the queue. */
  webhookDelivery: (deliveryId: string, attempt: number) => `${deliveryId}_a${attempt}`,
  /** The job schedulers that drive billing-clock (one per task). */
  billingScheduler: (task: BillingTask) => `billing-${task}`,
} as const;
