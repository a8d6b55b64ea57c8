import type { EventRow, WebhookDeliveryRow } from "@canopy/db";
import { iso } from "@canopy/domain/shared";
import { MAX_PAYLOAD_BYTES } from "./webhooks.schema";

/** The body of docs/webhooks.md, `{type, timestamp, data}`, as sent on the wire. */
export function eventBody(event: Pick<EventRow, "type" | "occurred_at" | "data">): string {
  return JSON.stringify({ type: event.type, timestamp: iso(event.occurred_at), data: event.data });
}

export function tooLarge(body: string): string | null {
  const size = Buffer.byteLength(body, "utf8");
  return size > MAX_PAYLOAD_BYTES
    ? `the payload is ${size} bytes, over the ${MAX_PAYLOAD_BYTES} bytes (256 KiB) a webhook may carry; it is not sent`
    : null;
}

/** The body of one delivery: rebuilt from its event, or the stored body of a test message. */
export function deliveryBody(delivery: WebhookDeliveryRow, event: Pick<EventRow, "type" | "occurred_at" | "data"> | null): string | null {
  if (!delivery.event_id) return delivery.payload === null ? null : JSON.stringify(delivery.payload);
  return event ? eventBody(event) : null;
}
