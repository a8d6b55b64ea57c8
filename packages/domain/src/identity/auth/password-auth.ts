import type { Db } from "@canopy/db";
import type { Actor } from "../access/actor";
import { clearLoginFailures, type LoginOrigin, takeLoginAttempt } from "../credentials/login-throttle";
import { verifyPassword } from "../credentials/passwords";
import { findUserByEmail } from "../users/users.repository";

/**
 * The actor of an email and password, without opening a session: for callers that receive the
 * password with every request (HTTP Basic on the queue dashboard). Undefined when wrong. Wrong
 * passwords count towards the same throttle as `auth.login`, which then answers
 * TOO_MANY_REQUESTS here too.
 */
export async function authenticatePassword(db: Db, email: string, password: string, origin: LoginOrigin): Promise<Actor | undefined> {
  await takeLoginAttempt(db, email, origin);
  const user = await findUserByEmail(db, email);
  const passwordOk = await verifyPassword(password, user?.password_hash ?? null, origin.clientAddress);
  if (!user || !passwordOk || user.status !== "active") {
    return undefined;
  }
  await clearLoginFailures(db, email, origin);
  const account = await db
    .selectFrom("accounts")
    .select(["id", "path", "type", "status"])
    .where("id", "=", user.account_id)
    .executeTakeFirstOrThrow();
  if (account.status === "cancelled") return undefined;
  return { kind: "user", id: user.id, role: user.role, accountId: account.id, accountPath: account.path, accountType: account.type };
}
