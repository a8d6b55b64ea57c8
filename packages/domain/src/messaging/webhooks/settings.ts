import { hkdfSync } from "node:crypto";

/** What the webhook services need from an app's configuration (read there, never here). */
export interface WebhookSettings {
  /** 32 bytes sealing endpoint secrets at rest (see `sealingKeyFrom`). */
  sealingKey: Buffer;
  /** Lets endpoints reach private and loopback addresses: tests and local development only. */
  allowPrivateUrls: boolean;
  /** How long one attempt may take, headers and body (docs/webhooks.md: 15 s). */
  timeoutMs: number;
  /**
   * Multiplies the retry schedule and the 5-day disabling window, so tests can run the real
   * schedule in milliseconds; 1 in production.
   */
  retryScale: number;
}

export const DEFAULT_TIMEOUT_MS = 15_000;

/**
 * The development key, used only when CANOPY_SECRET_KEY is unset outside production. It is
 * public (it is in this file), so secrets sealed with it are as good as plain text.
 */
const DEVELOPMENT_KEY_MATERIAL = "canopy-development-only-secret-key-never-use-in-production";

/**
 * Derives the 32-byte sealing key from CANOPY_SECRET_KEY (any string of 32 characters or more,
 * e.g. `openssl rand -base64 48`). Unset: a fixed development key, refused in production.
 */
export function sealingKeyFrom(secretKey: string | undefined, opts: { production: boolean }): Buffer {
  if (secretKey === undefined || secretKey === "") {
    if (opts.production) throw new Error("CANOPY_SECRET_KEY must be set in production (32 characters or more)");
    secretKey = DEVELOPMENT_KEY_MATERIAL;
  }
  if (secretKey.length < 32) throw new Error("CANOPY_SECRET_KEY must be at least 32 characters");
  return Buffer.from(hkdfSync("sha256", secretKey, "canopy", "webhook-endpoint-secrets", 32));
}

let developmentKey: Buffer | undefined;

/** Settings with development defaults for whatever is not given (tests, in-process callers). */
export function webhookSettings(partial: Partial<WebhookSettings> = {}): WebhookSettings {
  developmentKey ??= sealingKeyFrom(undefined, { production: false });
  return {
    sealingKey: partial.sealingKey ?? developmentKey,
    allowPrivateUrls: partial.allowPrivateUrls ?? false,
    timeoutMs: partial.timeoutMs ?? DEFAULT_TIMEOUT_MS,
    retryScale: partial.retryScale ?? 1,
  };
}

/** How long a claimed attempt is left to its worker before the sweep may send it again. */
export function attemptLeaseMs(settings: WebhookSettings): number {
  // The margin belongs to the retry schedule (when a lost attempt is made again), so it scales with it.
  return settings.timeoutMs + Math.max(1_000, 60_000 * settings.retryScale);
}
