import type { Db } from "@canopy/db";
import { findUserByEmail } from "../users/users.repository";
import type { Actor } from "../access/actor";
import { assertLoginAllowed, clearLoginFailures, recordLoginFailure } from "./login-throttle";
import { verifyPassword } from "../credentials/passwords";

/**
 * The actor of an email and password, without opening a session: for callers that receive the
 * password with every request (HTTP Basic on the queue dashboard). Undefined when wrong. Wrong
 * passwords count towards the same per-email throttle as `auth.login`, which then answers
 * TOO_MANY_REQUESTS here too.
 */
export async function authenticatePassword(db: Db, email: string, password: string): Promise<Actor | undefined> {
  await assertLoginAllowed(db, email);
  const user = await findUserByEmail(db, email);
  const passwordOk = await verifyPassword(password, user?.password_hash ?? null);
  if (!user || !passwordOk || user.status !== "active") {
    await recordLoginFailure(db, email);
    return undefined;
  }
  await clearLoginFailures(db, email);
  const account = await db
    .selectFrom("accounts")
    .select(["id", "path", "type", "status"])
    .where("id", "=", user.account_id)
    .executeTakeFirstOrThrow();
  if (account.status === "cancelled") return undefined;
  return { kind: "user", id: user.id, role: user.role, accountId: account.id, accountPath: account.path, accountType: account.type };
}
