import { listInput, pageOutput, timestamp } from "@canopy/domain/shared";
import { z } from "zod";

export const apiKeysCreateInput = z
  .strictObject({
    name: z.string().trim().min(1).max(200),
    accountId: z.string().min(1).max(100).optional(),
    /** `isv`: a key the provider gives an ISV to report usage with; it can do nothing else. */
    kind: z.enum(["account", "isv"]).default("account"),
    /** The ISV an `isv` key reports for, as its products name it (`isvName`): it reaches those products only. */
    isvName: z.string().trim().min(1).max(200).optional(),
  })
  .refine((input) => (input.kind === "isv") === (input.isvName !== undefined), {
    path: ["isvName"],
    message: "an ISV key names its ISV (isvName); an account key names none",
  });
export const apiKeysListInput = listInput.extend({
  accountId: z.string().min(1).max(100).optional(),
  includeRevoked: z.boolean().default(false),
});
export type ApiKeysCreateInput = z.infer<typeof apiKeysCreateInput>;
export type ApiKeysListInput = z.infer<typeof apiKeysListInput>;

export const apiKey = z
  .object({
    id: z.string(),
    accountId: z.string(),
    name: z.string(),
    /** The first characters of the key, to tell keys apart; the key itself is shown only once. */
    prefix: z.string(),
    kind: z.enum(["account", "isv"]),
    /** The ISV whose products an `isv` key reports usage for; null for account keys. */
    isvName: z.string().nullable(),
    createdAt: timestamp,
    lastUsedAt: timestamp.nullable(),
    revokedAt: timestamp.nullable(),
  })
  .meta({ id: "ApiKey" });
export const apiKeysPage = pageOutput(apiKey);
/** The new key and its secret, shown this once: send it as `Authorization: Bearer <secret>`. */
export const apiKeyCreated = z.object({ apiKey, secret: z.string() });
export type ApiKey = z.infer<typeof apiKey>;
