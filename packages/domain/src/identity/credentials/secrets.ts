import { createHash, randomBytes, timingSafeEqual } from "node:crypto";

/**
 * Session tokens and API keys are 256-bit random secrets, so a fast hash is enough to store them
 * (no dictionary to attack). They are looked up by that hash, which reveals nothing about the
 * secret through timing, and the stored hash is compared once more in constant time.
 */
export function hashSecret(secret: string): Buffer {
  return createHash("sha256").update(secret, "utf8").digest();
}

export function secretMatches(secret: string, storedHash: Buffer): boolean {
  const actual = hashSecret(secret);
  return actual.length === storedHash.length && timingSafeEqual(actual, storedHash);
}

export const SESSION_TOKEN_PREFIX = "cns_";
export const API_KEY_PREFIX = "cnk_";

export function newSecret(prefix: string): string {
  return `${prefix}${randomBytes(32).toString("base64url")}`;
}

/** The part of a key shown in listings to tell keys apart; never enough to use it. */
export function visiblePrefix(secret: string): string {
  return secret.slice(0, 12);
}
