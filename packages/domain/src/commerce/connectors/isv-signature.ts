import { createHmac, timingSafeEqual } from "node:crypto";

/** `v1=` + hex HMAC-SHA256 over `timestamp.body`; the timestamp lets the receiver refuse replays. */
export function signIsvRequest(secret: string, timestamp: string, body: string): string {
  return `v1=${createHmac("sha256", secret).update(`${timestamp}.${body}`).digest("hex")}`;
}

/** How far a signed call's timestamp may be from the receiver's clock (seconds), both ways. */
export const ISV_SIGNATURE_TOLERANCE_S = 300;

/**
 * The same scheme the other way round: a call an ISV application makes to Canopy (its usage
 * callback), signed with the product's shared secret. Compared in constant time; a timestamp
 * (Unix seconds) outside the tolerance is refused, so a captured call cannot be replayed later.
 */
export function verifyIsvRequest(
  secret: string,
  request: { timestamp: string; signature: string; body: string },
  nowMs: number = Date.now(),
): boolean {
  if (!/^\d{1,12}$/.test(request.timestamp)) return false;
  if (Math.abs(nowMs / 1000 - Number(request.timestamp)) > ISV_SIGNATURE_TOLERANCE_S) return false;
  const expected = Buffer.from(signIsvRequest(secret, request.timestamp, request.body));
  const given = Buffer.from(request.signature);
  return given.length === expected.length && timingSafeEqual(given, expected);
}
