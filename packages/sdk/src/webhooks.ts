import { Webhook, WebhookVerificationError } from "standardwebhooks";

export { WebhookVerificationError };

/** A webhook message from Canopy, as its body says (docs/webhooks.md). */
export interface CanopyWebhook<T = unknown> {
  /** The `webhook-id` header: the same on every retry, so use it to ignore duplicates. */
  id: string;
  /** The event type, e.g. `order.completed`. */
  type: string;
  /** When the event occurred (ISO 8601). */
  timestamp: string;
  /** The resource after the change. */
  data: T;
}

/** Headers as Node's http module, fetch's `Headers` or a plain object carry them. */
export type WebhookHeaders = Headers | Record<string, string | string[] | undefined>;

function headerValue(headers: WebhookHeaders, name: string): string {
  if (typeof (headers as Headers).get === "function") return (headers as Headers).get(name) ?? "";
  const record = headers as Record<string, string | string[] | undefined>;
  const key = Object.keys(record).find((k) => k.toLowerCase() === name);
  const value = key === undefined ? undefined : record[key];
  return Array.isArray(value) ? (value[0] ?? "") : (value ?? "");
}

/**
 * Verifies a delivery from Canopy with the Standard Webhooks library: the `v1` HMAC-SHA256
 * signature over `id.timestamp.body` and a timestamp within five minutes. Pass the body exactly
 * as received (a string or Buffer, before any JSON parsing). During a secret rotation, pass both
 * secrets: either one verifies. Throws `WebhookVerificationError` when the message is not genuine.
 */
export function verifyWebhook<T = unknown>(opts: {
  secret: string | string[];
  headers: WebhookHeaders;
  body: string | Buffer;
}): CanopyWebhook<T> {
  const headers = {
    "webhook-id": headerValue(opts.headers, "webhook-id"),
    "webhook-timestamp": headerValue(opts.headers, "webhook-timestamp"),
    "webhook-signature": headerValue(opts.headers, "webhook-signature"),
  };
  const secrets = Array.isArray(opts.secret) ? opts.secret : [opts.secret];
  let lastError: unknown = new WebhookVerificationError("No secret given");
  for (const secret of secrets) {
    try {
      const payload = new Webhook(secret).verify(opts.body, headers) as Omit<CanopyWebhook<T>, "id">;
      return { id: headers["webhook-id"], type: payload.type, timestamp: payload.timestamp, data: payload.data };
    } catch (error) {
      lastError = error;
    }
  }
  throw lastError;
}
