import { createCipheriv, createDecipheriv, randomBytes } from "node:crypto";

// Sealed values read "v1.<base64 of iv | tag | ciphertext>". The row id is bound in as
// additional data, so a sealed secret copied onto another endpoint's row does not open.
const VERSION = "v1.";

export function seal(key: Buffer, plaintext: string, boundTo: string): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv("aes-256-gcm", key, iv);
  cipher.setAAD(Buffer.from(boundTo, "utf8"));
  const ciphertext = Buffer.concat([cipher.update(plaintext, "utf8"), cipher.final()]);
  return VERSION + Buffer.concat([iv, cipher.getAuthTag(), ciphertext]).toString("base64");
}

export function open(key: Buffer, sealed: string, boundTo: string): string {
  if (!sealed.startsWith(VERSION)) throw new Error("unknown sealed secret format");
  const raw = Buffer.from(sealed.slice(VERSION.length), "base64");
  const decipher = createDecipheriv("aes-256-gcm", key, raw.subarray(0, 12));
  decipher.setAAD(Buffer.from(boundTo, "utf8"));
  decipher.setAuthTag(raw.subarray(12, 28));
  return Buffer.concat([decipher.update(raw.subarray(28)), decipher.final()]).toString("utf8");
}
