import { resolve } from "node:path";
import { z } from "zod";

// The only place the start and demo scripts read process.env (docs/architecture.md). Variables the
// apps read themselves (CANOPY_ADMIN_*, LOG_LEVEL, …) pass through to them untouched.
const optionalString = z
  .string()
  .optional()
  .transform((v) => (v === "" ? undefined : v));

const schema = z.object({
  DATABASE_URL: optionalString,
  REDIS_URL: optionalString,
  PORT: z.coerce.number().int().min(1).max(65535).default(3000),
  /** `npm start` serves on loopback unless told otherwise; the API's own default is 0.0.0.0. */
  HOST: z.string().default("127.0.0.1"),
  /** Unset: 9464, or a free port when 9464 is taken; set: that port or a clear refusal. */
  WORKER_METRICS_PORT: z.coerce.number().int().min(1).max(65535).optional(),
  /** Default under `npm start`: a prefix of this data folder's own (in credentials.json). */
  WORKER_QUEUE_PREFIX: optionalString,
  CANOPY_BOOTSTRAP_API_KEY: z.string().min(32, "must be at least 32 characters").optional(),
  CANOPY_ADMIN_EMAIL: optionalString,
  CANOPY_ADMIN_PASSWORD: optionalString,
  WEBHOOK_ALLOW_PRIVATE_URLS: optionalString,
  /** `npm start` creates the demo catalog (product DEMO-BACKUP, marked as demo data) unless "false". */
  CANOPY_DEMO_DATA: z
    .enum(["true", "false", "1", "0", ""])
    .optional()
    .transform((v) => v !== "false" && v !== "0"),
  /** Where `npm start` keeps the embedded database, the private Redis and credentials.json. */
  CANOPY_DATA_DIR: z.string().default(".data"),
  /** For `npm run demo`: the instance to tour and a provider API key (else from credentials.json). */
  CANOPY_URL: optionalString,
  CANOPY_API_KEY: optionalString,
  /** For `npm run demo`: the port of its local webhook receiver (0: any free port). */
  DEMO_WEBHOOK_PORT: z.coerce.number().int().min(0).max(65535).default(0),
});

export type ScriptConfig = z.infer<typeof schema> & { dataDir: string; pretty: boolean };

export function loadScriptConfig(env: NodeJS.ProcessEnv = process.env): ScriptConfig {
  const parsed = schema.safeParse(env);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `  ${i.path.join(".")}: ${i.message}`).join("\n");
    throw new Error(`invalid configuration:\n${problems}`);
  }
  return { ...parsed.data, dataDir: resolve(parsed.data.CANOPY_DATA_DIR), pretty: process.stdout.isTTY === true };
}
