import type { ColumnType, Generated, Selectable } from "kysely";
import type { DefaultedTimestamp, Json, Timestamp } from "./core";

export type DeliveryStatus = "pending" | "succeeded" | "failed";

export interface WebhookEndpointsTable {
  id: string;
  account_id: string;
  account_path: string;
  url: string;
  description: string | null;
  /** Empty means every event type. */
  event_types: ColumnType<string[], string[] | undefined, string[]>;
  enabled: Generated<boolean>;
  disabled_reason: string | null;
  /** The signing secret, sealed with AES-256-GCM: it must be recoverable to sign, so it cannot be hashed. */
  secret_sealed: string;
  /** The secret replaced by the last rotation, still signing alongside the new one until it expires. */
  previous_secret_sealed: string | null;
  previous_secret_expires_at: Timestamp | null;
  /** Start of the current run of failed attempts; null while the endpoint answers. */
  failing_since: Timestamp | null;
  created_at: DefaultedTimestamp;
  updated_at: DefaultedTimestamp;
  version: Generated<number>;
}

export interface WebhookDeliveriesTable {
  id: string;
  endpoint_id: string;
  /** The owner of the endpoint, copied for subtree-free ownership filters. */
  account_id: string;
  /** Null for a test message sent by hand. */
  event_id: string | null;
  event_type: string;
  /** The `webhook-id` header: the event id (or the delivery id for a test), the same on every retry. */
  message_id: string;
  /** The body of a test message; event deliveries rebuild theirs from the event row. */
  payload: Json<unknown> | null;
  status: Generated<DeliveryStatus>;
  attempts: Generated<number>;
  next_attempt_at: Timestamp | null;
  /** Until when a job for this delivery is known to be in the queue: the sweep leaves it alone. */
  queued_until: ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
  last_status: number | null;
  last_error: string | null;
  created_at: DefaultedTimestamp;
  updated_at: DefaultedTimestamp;
}

export interface WebhookDeliveryAttemptsTable {
  id: string;
  delivery_id: string;
  attempted_at: Timestamp;
  status_code: number | null;
  duration_ms: number;
  /** The first KiB of the response body. */
  response_body: string | null;
  error: string | null;
}

export interface WebhooksTables {
  webhook_endpoints: WebhookEndpointsTable;
  webhook_deliveries: WebhookDeliveriesTable;
  webhook_delivery_attempts: WebhookDeliveryAttemptsTable;
}

export type WebhookEndpointRow = Selectable<WebhookEndpointsTable>;
export type WebhookDeliveryRow = Selectable<WebhookDeliveriesTable>;
export type WebhookDeliveryAttemptRow = Selectable<WebhookDeliveryAttemptsTable>;
