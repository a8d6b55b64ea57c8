import { deliveryStatuses, eventType, freeFormJsonObject, listInput, pageOutput, timestamp } from "@canopy/domain/shared";
import { z } from "zod";

const id = z.string().min(1).max(100);
const url = z.string().trim().min(1).max(2000);
const description = z.string().trim().max(500);
/** Empty or absent: every event type. */
const eventTypesInput = z
  .array(eventType)
  .max(50)
  .transform((types) => [...new Set(types)]);

export const endpointsCreateInput = z.strictObject({
  url,
  description: description.optional(),
  eventTypes: eventTypesInput.default([]),
});
export const endpointsUpdateInput = z.strictObject({
  id,
  url: url.optional(),
  description: description.nullable().optional(),
  eventTypes: eventTypesInput.optional(),
});
export const endpointsListInput = listInput.extend({ enabled: z.boolean().optional() });
export const endpointsDisableInput = z.strictObject({ id, reason: z.string().trim().max(500).optional() });
export const endpointsRecoverInput = z.strictObject({ id, since: z.iso.datetime({ offset: true }) });
export const endpointsSendTestInput = z.strictObject({
  id,
  /** The `type` of the test message; any name, as it is addressed to this endpoint only. */
  type: z.string().trim().min(1).max(100).default("webhook.test"),
  // The whole message is held to 256 KiB where it is built; this bound keeps JSON.stringify safe.
  data: freeFormJsonObject({ maxBytes: 1024 * 1024, sizeLabel: "1 MiB" }).default({ message: "a test message from Canopy" }),
});

export const deliveryStatus = z.enum(deliveryStatuses);
/** Whose deliveries a list shows: the caller's own account's endpoints, or every endpoint in its subtree. */
export const deliveriesScope = z.enum(["own", "subtree"]);
export const deliveriesListInput = listInput.extend({
  endpointId: id.optional(),
  eventId: id.optional(),
  status: deliveryStatus.optional(),
  /**
   * `own` (the default): deliveries to the caller's own account's endpoints. `subtree`: to the
   * endpoints of every account in the caller's reach (its own and every account below it; the
   * whole platform for the provider), for the operators who watch them.
   */
  scope: deliveriesScope.default("own"),
});

export type EndpointsCreateInput = z.infer<typeof endpointsCreateInput>;
export type EndpointsUpdateInput = z.infer<typeof endpointsUpdateInput>;
export type EndpointsListInput = z.infer<typeof endpointsListInput>;
export type EndpointsDisableInput = z.infer<typeof endpointsDisableInput>;
export type EndpointsRecoverInput = z.infer<typeof endpointsRecoverInput>;
export type EndpointsSendTestInput = z.infer<typeof endpointsSendTestInput>;
export type DeliveriesListInput = z.infer<typeof deliveriesListInput>;

export const webhookEndpoint = z
  .object({
    id: z.string(),
    accountId: z.string(),
    url: z.string(),
    description: z.string().nullable(),
    /** Empty: every event type. */
    eventTypes: z.array(z.string()),
    enabled: z.boolean(),
    disabledReason: z.string().nullable(),
    /** When the current run of failures began; null while the endpoint answers. */
    failingSince: timestamp.nullable(),
    /** Until when the previous secret still signs after a rotation, or null. */
    previousSecretExpiresAt: timestamp.nullable(),
    createdAt: timestamp,
    updatedAt: timestamp,
  })
  .meta({ id: "WebhookEndpoint" });
export const webhookEndpointsPage = pageOutput(webhookEndpoint);
/** The endpoint and its signing secret, shown this once. */
export const webhookEndpointWithSecret = z.object({ endpoint: webhookEndpoint, secret: z.string() });
export const webhookEndpointDeleted = z.object({ id: z.string(), deleted: z.literal(true) });
export const webhookRecovered = z.object({ queued: z.number().int() });

export const webhookDelivery = z
  .object({
    id: z.string(),
    endpointId: z.string(),
    /** Null for a test message. */
    eventId: z.string().nullable(),
    eventType: z.string(),
    /** The `webhook-id` header, the same on every attempt. */
    messageId: z.string(),
    status: deliveryStatus,
    attempts: z.number().int(),
    nextAttemptAt: timestamp.nullable(),
    lastStatus: z.number().int().nullable(),
    lastError: z.string().nullable(),
    createdAt: timestamp,
    updatedAt: timestamp,
  })
  .meta({ id: "WebhookDelivery" });
/** A delivery as lists show it: with the endpoint's URL and the account that owns the endpoint. */
export const webhookDeliveryListed = webhookDelivery
  .extend({
    endpointUrl: z.string(),
    /** The endpoint's owner (with `scope: "subtree"`, any account in the caller's reach). */
    account: z.object({ id: z.string(), name: z.string() }),
  })
  .meta({ id: "WebhookDeliveryListed" });
export const webhookDeliveriesPage = pageOutput(webhookDeliveryListed);

export const webhookDeliveryAttempt = z
  .object({
    id: z.string(),
    attemptedAt: timestamp,
    statusCode: z.number().int().nullable(),
    durationMs: z.number(),
    /** The first KiB of the response. */
    responseBody: z.string().nullable(),
    error: z.string().nullable(),
  })
  .meta({ id: "WebhookDeliveryAttempt" });

export const webhookDeliveryDetail = webhookDelivery
  .extend({ attemptLog: z.array(webhookDeliveryAttempt) })
  .meta({ id: "WebhookDeliveryDetail" });

export type WebhookEndpoint = z.infer<typeof webhookEndpoint>;
export type WebhookDelivery = z.infer<typeof webhookDelivery>;
export type WebhookDeliveryListed = z.infer<typeof webhookDeliveryListed>;
export type WebhookDeliveryAttempt = z.infer<typeof webhookDeliveryAttempt>;
export type WebhookDeliveryDetail = z.infer<typeof webhookDeliveryDetail>;

/** What a delivery job carries: the delivery, its endpoint (for per-endpoint fairness) and the attempt it expects. */
export interface DeliveryJob {
  deliveryId: string;
  endpointId: string;
  /** Attempts made before this one; a job whose count is stale does nothing. */
  attempt: number;
}

/** The Standard Webhooks body limit we enforce at the source. */
export const MAX_PAYLOAD_BYTES = 256 * 1024;
