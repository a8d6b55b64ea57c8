import { createHmac, randomBytes } from "node:crypto";

/** Standard Webhooks secrets: `whsec_` + base64 of random bytes (24–64; we use 32). */
export function newWebhookSecret(): string {
  return `whsec_${randomBytes(32).toString("base64")}`;
}

export interface SignedHeaders {
  "webhook-id": string;
  "webhook-timestamp": string;
  "webhook-signature": string;
}

/**
 * The Standard Webhooks headers of one message. With several secrets (during a rotation) the
 * signature header carries one `v1,…` per secret, space-separated, so a receiver holding either
 * secret verifies.
 */
export function signMessage(secrets: string[], messageId: string, timestamp: Date, body: string): SignedHeaders {
  const seconds = Math.floor(timestamp.getTime() / 1000);
  // The scheme is HMAC-SHA256 over "id.timestamp.body" with the base64-decoded secret. Node's
  // native HMAC computes it ≈5× faster than the standardwebhooks library's pure-JS SHA-256
  // (2.7 vs 14.6 µs a message), on the path of every delivery; the tests check the published
  // known answer and verify with the library itself.
  const content = `${messageId}.${seconds}.${body}`;
  return {
    "webhook-id": messageId,
    "webhook-timestamp": String(seconds),
    "webhook-signature": secrets
      .map((secret) => `v1,${createHmac("sha256", secretKey(secret)).update(content).digest("base64")}`)
      .join(" "),
  };
}

/** The key bytes of a `whsec_` secret, as the library reads them. */
function secretKey(secret: string): Buffer {
  return Buffer.from(secret.startsWith("whsec_") ? secret.slice("whsec_".length) : secret, "base64");
}
