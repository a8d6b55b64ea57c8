import { randomBytes } from "node:crypto";
import { Webhook } from "standardwebhooks";

export interface StreamedEvent {
  id: string;
  type: string;
  occurredAt: string;
  data: unknown;
}

/** A fresh signing secret in the Standard Webhooks form, for this run of `listen` only. */
export function newSecret(): string {
  return `whsec_${randomBytes(24).toString("base64")}`;
}

/**
 * Signs an event as Canopy's own deliveries are signed (docs/webhooks.md: body `{type, timestamp,
 * data}`, `webhook-id` = the event id, Standard Webhooks v1 HMAC) and POSTs it to the URL.
 * Resolves with the receiver's status, or rejects with why it could not be reached.
 */
export async function forwardEvent(url: string, secret: string, event: StreamedEvent, timeoutMs = 10_000): Promise<number> {
  const body = JSON.stringify({ type: event.type, timestamp: event.occurredAt, data: event.data });
  const at = new Date();
  const response = await fetch(url, {
    method: "POST",
    headers: {
      "content-type": "application/json",
      "user-agent": "canopy-cli (webhooks listen)",
      "webhook-id": event.id,
      "webhook-timestamp": String(Math.floor(at.getTime() / 1000)),
      "webhook-signature": new Webhook(secret).sign(event.id, at, body),
    },
    body,
    signal: AbortSignal.timeout(timeoutMs),
  });
  await response.arrayBuffer();
  return response.status;
}
