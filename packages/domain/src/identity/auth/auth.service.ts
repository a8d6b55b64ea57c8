import type { Db } from "@canopy/db";
import { sql } from "@canopy/db";
import { newId, unauthorized } from "@canopy/domain/shared";
import type { Actor } from "../access/actor";
import { toAccount } from "../accounts/accounts.repository";
import type { Account } from "../accounts/accounts.schema";
import { clearLoginFailures, type LoginOrigin, takeLoginAttempt } from "../credentials/login-throttle";
import { verifyPassword } from "../credentials/passwords";
import { hashSecret, newSecret, SESSION_TOKEN_PREFIX, secretMatches } from "../credentials/secrets";
import { findUserByEmail, toUser } from "../users/users.repository";
import type { User } from "../users/users.schema";
import type { LoginInput } from "./auth.schema";

export const SESSION_LIFETIME_MS = 12 * 60 * 60 * 1000;

export async function login(db: Db, input: LoginInput, origin: LoginOrigin): Promise<{ token: string; expiresAt: string; user: User }> {
  await takeLoginAttempt(db, input.email, origin);
  const user = await findUserByEmail(db, input.email);
  const passwordOk = await verifyPassword(input.password, user?.password_hash ?? null, origin.clientAddress);
  if (!user || !passwordOk || user.status !== "active") {
    throw unauthorized("email or password is wrong");
  }
  await clearLoginFailures(db, input.email, origin);
  const account = await db.selectFrom("accounts").select("status").where("id", "=", user.account_id).executeTakeFirstOrThrow();
  if (account.status === "cancelled") throw unauthorized("the account is cancelled");
  const token = newSecret(SESSION_TOKEN_PREFIX);
  const expiresAt = new Date(Date.now() + SESSION_LIFETIME_MS);
  await db
    .insertInto("sessions")
    .values({ id: newId("ses"), user_id: user.id, token_hash: hashSecret(token), expires_at: expiresAt })
    .execute();
  return { token, expiresAt: expiresAt.toISOString(), user: toUser(user) };
}

export async function logout(db: Db, token: string): Promise<void> {
  await db.deleteFrom("sessions").where("token_hash", "=", hashSecret(token)).execute();
}

/**
 * Resolves a bearer token (a session token or an API key) to the actor it stands for, or
 * undefined. One indexed query either way.
 */
export async function authenticate(db: Db, token: string): Promise<Actor | undefined> {
  return (await resolveCredential(db, token))?.actor;
}

/** The actor a bearer token stands for and when it lapses by itself (a session's expiry). */
export async function resolveCredential(db: Db, token: string): Promise<{ actor: Actor; expiresAt: Date | null } | undefined> {
  if (token.length < 16 || token.length > 512) return undefined;
  const hash = hashSecret(token);
  if (token.startsWith(SESSION_TOKEN_PREFIX)) {
    const row = await db
      .selectFrom("sessions as s")
      .innerJoin("users as u", "u.id", "s.user_id")
      .innerJoin("accounts as a", "a.id", "u.account_id")
      .select(["s.token_hash", "s.expires_at", "u.id as userId", "u.role", "a.id as accountId", "a.path", "a.type"])
      .where("s.token_hash", "=", hash)
      .where("s.expires_at", ">", sql<Date>`now()`)
      .where("u.status", "=", "active")
      .where("a.status", "!=", "cancelled")
      .executeTakeFirst();
    if (!row || !secretMatches(token, row.token_hash)) return undefined;
    return {
      actor: { kind: "user", id: row.userId, role: row.role, accountId: row.accountId, accountPath: row.path, accountType: row.type },
      expiresAt: row.expires_at,
    };
  }
  const row = await db
    .selectFrom("api_keys as k")
    .innerJoin("accounts as a", "a.id", "k.account_id")
    .select(["k.id", "k.key_hash", "k.kind", "k.isv_name", "a.id as accountId", "a.path", "a.type"])
    .where("k.key_hash", "=", hash)
    .where("k.revoked_at", "is", null)
    .where("a.status", "!=", "cancelled")
    .executeTakeFirst();
  if (!row || !secretMatches(token, row.key_hash)) return undefined;
  return {
    actor:
      row.kind === "isv"
        ? {
            kind: "apiKey",
            id: row.id,
            role: "service",
            isv: true,
            isvName: row.isv_name,
            accountId: row.accountId,
            accountPath: row.path,
            accountType: row.type,
          }
        : { kind: "apiKey", id: row.id, role: "admin", accountId: row.accountId, accountPath: row.path, accountType: row.type },
    expiresAt: null,
  };
}

type CredentialKind = Exclude<Actor["kind"], "system">;

/** Only a credential's actor asks who it is: the platform's own actor (renewals…) holds none. */
function credentialKind(actor: Actor): CredentialKind {
  if (actor.kind === "system") throw new Error("the system actor holds no credential");
  return actor.kind;
}

/** Who the credential of a request stands for, without a query: what a client checks cheaply. */
export function whoami(actor: Actor): {
  kind: CredentialKind;
  id: string;
  role: Actor["role"];
  accountId: string;
  accountType: Actor["accountType"];
} {
  return { kind: credentialKind(actor), id: actor.id, role: actor.role, accountId: actor.accountId, accountType: actor.accountType };
}

export interface Me {
  actor: { kind: CredentialKind; id: string; role: Actor["role"] };
  user: User | null;
  account: Account;
}

export async function me(db: Db, actor: Actor): Promise<Me> {
  const account = await db.selectFrom("accounts").selectAll().where("id", "=", actor.accountId).executeTakeFirstOrThrow();
  const user = actor.kind === "user" ? await db.selectFrom("users").selectAll().where("id", "=", actor.id).executeTakeFirst() : undefined;
  return {
    actor: { kind: credentialKind(actor), id: actor.id, role: actor.role },
    user: user ? toUser(user) : null,
    account: toAccount(account),
  };
}
