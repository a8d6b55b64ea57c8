import { z } from "zod";
import { account, accountType } from "../accounts/accounts.schema";
import { user, userRole } from "../users/users.schema";

export const loginInput = z.strictObject({
  email: z.email().max(320),
  // Longer than any real password, short of making a hash costlier to ask for.
  password: z.string().min(1).max(256),
});
export type LoginInput = z.infer<typeof loginInput>;

const actorKind = z.enum(["user", "apiKey"]);

/** A session token: send it as `Authorization: Bearer <token>` until `expiresAt`. */
export const loginOutput = z.object({ token: z.string(), expiresAt: z.string().meta({ format: "date-time" }), user });
export const logoutOutput = z.object({ ok: z.literal(true) });
export const whoamiOutput = z.object({ kind: actorKind, id: z.string(), role: userRole, accountId: z.string(), accountType });
export const meOutput = z.object({
  actor: z.object({ kind: actorKind, id: z.string(), role: userRole }),
  user: user.nullable(),
  account,
});
