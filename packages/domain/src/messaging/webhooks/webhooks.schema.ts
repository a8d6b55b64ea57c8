import { eventType, freeFormJsonObject, listInput } from "@canopy/domain/shared";
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

export const deliveryStatus = z.enum(["pending", "succeeded", "failed"]);
export const deliveriesListInput = listInput.extend({
  endpointId: id.optional(),
  eventId: id.optional(),
  status: deliveryStatus.optional(),
});

export type EndpointsCreateInput = z.infer<typeof endpointsCreateInput>;
export type EndpointsUpdateInput = z.infer<typeof endpointsUpdateInput>;
export type EndpointsListInput = z.infer<typeof endpointsListInput>;
export type EndpointsDisableInput = z.infer<typeof endpointsDisableInput>;
export type EndpointsRecoverInput = z.infer<typeof endpointsRecoverInput>;
export type EndpointsSendTestInput = z.infer<typeof endpointsSendTestInput>;
export type DeliveriesListInput = z.infer<typeof deliveriesListInput>;

export interface WebhookEndpoint {
  id: string;
  accountId: string;
  url: string;
  description: string | null;
  /** Empty: every event type. */
  eventTypes: string[];
  enabled: boolean;
  disabledReason: string | null;
  /** When the current run of failures began; null while the endpoint answers. */
  failingSince: string | null;
  /** Until when the previous secret still signs after a rotation, or null. */
  previousSecretExpiresAt: string | null;
  createdAt: string;
  updatedAt: string;
}

export interface WebhookDelivery {
  id: string;
  endpointId: string;
  /** Null for a test message. */
  eventId: string | null;
  eventType: string;
  /** The `webhook-id` header, the same on every attempt. */
  messageId: string;
  status: z.infer<typeof deliveryStatus>;
  attempts: number;
  nextAttemptAt: string | null;
  lastStatus: number | null;
  lastError: string | null;
  createdAt: string;
  updatedAt: string;
}

export interface WebhookDeliveryAttempt {
  id: string;
  attemptedAt: string;
  statusCode: number | null;
  durationMs: number;
  /** The first KiB of the response. */
  responseBody: string | null;
  error: string | null;
}

export interface WebhookDeliveryDetail extends WebhookDelivery {
  attemptLog: WebhookDeliveryAttempt[];
}

/** What a delivery job carries: the delivery, its endpoint (for per-endpoint fairness) and the attempt it expects. */
export interface DeliveryJob {
  deliveryId: string;
  endpointId: string;
  /** Attempts made before this one; a job whose count is stale does nothing. */
  attempt: number;
}

/** The Standard Webhooks body limit we enforce at the source. */
export const MAX_PAYLOAD_BYTES = 256 * 1024;
