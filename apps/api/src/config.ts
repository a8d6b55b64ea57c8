import { z } from "zod";

// The only place the API reads process.env (conventions §13).
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
  CANOPY_BOOTSTRAP_API_KEY: z.string().min(32, "must be at least 32 characters").optional(),
  CANOPY_ADMIN_EMAIL: z.email().optional(),
  CANOPY_ADMIN_PASSWORD: z.string().min(12).optional(),
  WEBHOOK_ALLOW_PRIVATE_URLS: booleanFlag,
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
