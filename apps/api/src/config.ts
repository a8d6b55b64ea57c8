import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { type ConnectorSettings, connectorEnvironment } from "@canopy/domain/catalog";
import { sealingKeyFrom, type WebhookSettings } from "@canopy/domain/messaging";
import { z } from "zod";

// The only place the API reads process.env (docs/architecture.md).
const booleanFlag = z
  .enum(["1", "true", "yes", "0", "false", "no", ""])
  .optional()
  .transform((v) => v === "1" || v === "true" || v === "yes");

const schema = z.object({
  DATABASE_URL: z.string().default("postgres://postgres@127.0.0.1:5432/canopy"),
  REDIS_URL: z.string().default("redis://127.0.0.1:6379"),
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  HOST: z.string().default("0.0.0.0"),
  LOG_LEVEL: z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).default("info"),
  /** Human-readable logs (pino-pretty); JSON lines otherwise. Default: when stdout is a terminal. */
  LOG_PRETTY: z
    .enum(["1", "true", "yes", "0", "false", "no"])
    .optional()
    .transform((v) => (v === undefined ? process.stdout.isTTY === true : v === "1" || v === "true" || v === "yes")),
  /** The BullMQ key prefix; the same value as the worker's. */
  WORKER_QUEUE_PREFIX: z
    .string()
    .min(1)
    .regex(/^[^:]+$/, "must not contain ':'")
    .default("canopy"),
  CANOPY_BOOTSTRAP_API_KEY: z.string().min(32, "must be at least 32 characters").optional(),
  CANOPY_ADMIN_EMAIL: z.email().optional(),
  CANOPY_ADMIN_PASSWORD: z.string().min(12).optional(),
  WEBHOOK_ALLOW_PRIVATE_URLS: booleanFlag,
  /**
   * Behind a reverse proxy: whose X-Forwarded-For gives the client address (the login throttle
   * keys on it). "true" (any proxy: only when the API is reachable through the proxy alone), or a
   * comma-separated list of the proxies' addresses/CIDRs.
   * Unset: the connection's address, headers ignored.
   */
  TRUST_PROXY: z
    .string()
    .optional()
    .transform((v): boolean | string[] => {
      const value = v?.trim() ?? "";
      if (value === "" || value === "0" || value === "false" || value === "no") return false;
      if (value === "1" || value === "true" || value === "yes") return true;
      return value
        .split(",")
        .map((part) => part.trim())
        .filter(Boolean);
    }),
  /** Seals webhook secrets at rest (32+ characters); unset outside production, a public development key is used. */
  CANOPY_SECRET_KEY: z.string().min(32, "must be at least 32 characters").optional(),
  NODE_ENV: z.string().optional(),
  /** Calls per minute per API key or session, shared by every API process through Redis (0: no limit). */
  RATE_LIMIT_PER_MINUTE: z.coerce.number().int().min(0).default(600),
  /** Calls per minute per client address without credentials (login and other public calls). */
  RATE_LIMIT_ANONYMOUS_PER_MINUTE: z.coerce.number().int().min(0).default(60),
  /** CANOPY_CONNECTORS and CONNECTOR_HTTP_SECRETS, as the worker reads them: products naming an unknown connector or secret are refused, and ISVs' usage callbacks are checked with the secrets. */
  ...connectorEnvironment,
  /** How long a webhook test message may take (spec: 15 s). */
  WEBHOOK_TIMEOUT_MS: z.coerce.number().int().min(100).max(120_000).default(15_000),
  /** The built user panel served at `/` (apps/web's `vite build`). */
  PANEL_DIR: z.string().default(resolve(dirname(fileURLToPath(import.meta.url)), "../../web/dist")),
  /**
   * Whether procedures parse their results with their output schemas (docs/api.md, Transport).
   * Default on, in production too: the parse also strips fields a result carries beyond its
   * schema, and it costs ≈10 µs of CPU per call
   * (bench/whoami-inprocess.ts). "0" turns it off.
   */
  API_VALIDATE_OUTPUT: z
    .enum(["1", "true", "yes", "0", "false", "no"])
    .optional()
    .transform((v) => v === undefined || v === "1" || v === "true" || v === "yes"),
  /** Always mark the panel's session cookie Secure (it is whenever the request came over TLS, X-Forwarded-Proto included). */
  SESSION_COOKIE_SECURE: booleanFlag,
});

export type ApiConfig = z.infer<typeof schema>;

export function loadConfig(env: NodeJS.ProcessEnv = process.env): ApiConfig {
  const parsed = schema.safeParse(env);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `  ${i.path.join(".")}: ${i.message}`).join("\n");
    throw new Error(`invalid configuration:\n${problems}`);
  }
  return parsed.data;
}

/** Which connectors and http secret refs exist: products naming others are refused (docs/catalog.md). */
export function connectorSettingsOf(config: ApiConfig): ConnectorSettings {
  return { connectors: config.CANOPY_CONNECTORS, httpSecretRefs: Object.keys(config.CONNECTOR_HTTP_SECRETS) };
}

/** The webhook services' settings; refuses to start in production without CANOPY_SECRET_KEY. */
export function webhookSettingsOf(config: ApiConfig): WebhookSettings {
  return {
    sealingKey: sealingKeyFrom(config.CANOPY_SECRET_KEY, { production: config.NODE_ENV === "production" }),
    allowPrivateUrls: config.WEBHOOK_ALLOW_PRIVATE_URLS,
    timeoutMs: config.WEBHOOK_TIMEOUT_MS,
    retryScale: 1,
  };
}
