import type { Db, UserRow } from "@canopy/db";
import {
  badRequest,
  conflict,
  decodeCursor,
  forbidden,
  insertEvent,
  isUniqueViolation,
  newId,
  notFound,
  type Page,
  pageOf,
  preconditionFailed,
} from "@canopy/domain/shared";
import { type Actor, eventOrigin } from "../access/actor";
import { permissions, reaches, readScope } from "../access/permissions";
import { loadAccountInReach } from "../accounts/accounts.service";
import { clearLoginFailures, type LoginOrigin, takeLoginAttempt } from "../credentials/login-throttle";
import { hashPassword, verifyPassword } from "../credentials/passwords";
import { hashSecret } from "../credentials/secrets";
import { deleteSessionsOfUser, findUser, insertUser, listUsers as queryUsers, toUser, updateUserVersioned } from "./users.repository";
import type { User, UsersCreateInput, UsersListInput, UsersSetPasswordInput, UsersUpdateInput } from "./users.schema";

const emailTaken = (email: string) => conflict(`a user with email ${email} already exists`);

/** A user the actor can see: admins see their subtree, everyone sees themselves. */
async function loadUserInReach(db: Db, actor: Actor, id: string): Promise<UserRow> {
  const row = await findUser(db, id);
  const self = actor.kind === "user" && actor.id === id;
  if (!row || !(self || reaches(actor, row.account_path))) throw notFound("user");
  return row;
}

/** A user the actor may manage (docs/permissions.md: admins, within their subtree). */
async function loadUserToManage(db: Db, actor: Actor, id: string): Promise<UserRow> {
  const row = await loadUserInReach(db, actor, id);
  // A service user sees its own profile but manages nobody, itself included.
  if (actor.role !== "admin") throw forbidden("service users cannot manage users");
  permissions.manageUsers(actor, { id: row.account_id, path: row.account_path });
  return row;
}

export async function getUser(db: Db, actor: Actor, id: string): Promise<User> {
  return toUser(await loadUserInReach(db, actor, id));
}

export async function listUsers(db: Db, actor: Actor, input: UsersListInput): Promise<Page<User>> {
  const scope = readScope(actor);
  if (!scope) {
    // A service user's reach is its own profile.
    const self = actor.kind === "user" ? await findUser(db, actor.id) : undefined;
    return { items: self && !input.cursor ? [toUser(self)] : [], nextCursor: null };
  }
  if (input.accountId) await loadAccountInReach(db, actor, input.accountId);
  const rows = await queryUsers(db, {
    subtreeOf: scope,
    accountId: input.accountId,
    role: input.role,
    status: input.status,
    afterId: decodeCursor(input.cursor),
    limit: input.limit,
  });
  return pageOf(rows, input.limit, (r) => r.id, toUser);
}

export async function createUser(db: Db, actor: Actor, input: UsersCreateInput): Promise<User> {
  const account = await loadAccountInReach(db, actor, input.accountId ?? actor.accountId);
  permissions.manageUsers(actor, account);
  if (account.status === "cancelled") throw preconditionFailed("the account is cancelled");
  try {
    const row = await insertUser(db, {
      id: newId("usr"),
      account_id: account.id,
      account_path: account.path,
      role: input.role,
      email: input.email,
      name: input.name,
      password_hash: input.password ? await hashPassword(input.password, actor.id) : null,
    });
    const user = toUser(row);
    await insertEvent(db, { type: "user.created", origin: eventOrigin(actor), account, data: user });
    return user;
  } catch (error) {
    if (isUniqueViolation(error, "users_email")) throw emailTaken(input.email);
    throw error;
  }
}

async function staleOrMissing(db: Db, id: string): Promise<never> {
  throw (await findUser(db, id)) ? conflict("the user was changed by someone else; reload it and retry") : notFound("user");
}

export async function updateUser(db: Db, actor: Actor, input: UsersUpdateInput): Promise<User> {
  const current = await loadUserToManage(db, actor, input.id);
  if (input.role && actor.kind === "user" && actor.id === input.id && input.role !== current.role) {
    throw forbidden("users cannot change their own role");
  }
  try {
    const row = await updateUserVersioned(db, input.id, input.version, {
      name: input.name,
      email: input.email,
      role: input.role,
    });
    if (!row) return staleOrMissing(db, input.id);
    const user = toUser(row);
    await insertEvent(db, {
      type: "user.updated",
      origin: eventOrigin(actor),
      account: { id: row.account_id, path: row.account_path },
      data: user,
    });
    return user;
  } catch (error) {
    if (isUniqueViolation(error, "users_email")) throw emailTaken(input.email ?? "");
    throw error;
  }
}

/** Disables the user and ends its sessions at once. */
export async function disableUser(db: Db, actor: Actor, id: string): Promise<User> {
  const current = await loadUserToManage(db, actor, id);
  if (actor.kind === "user" && actor.id === id) throw forbidden("users cannot disable themselves");
  if (current.status === "disabled") return toUser(current);
  const row = await updateUserVersioned(db, id, null, { status: "disabled" });
  if (!row) throw notFound("user");
  await deleteSessionsOfUser(db, id);
  const user = toUser(row);
  await insertEvent(db, {
    type: "user.disabled",
    origin: eventOrigin(actor),
    account: { id: row.account_id, path: row.account_path },
    data: user,
  });
  return user;
}

/**
 * Lets a disabled user sign in again (same permission as disabling). Recorded as `user.updated`:
 * the resource changed, and receivers filtering on the existing event types see it.
 */
export async function enableUser(db: Db, actor: Actor, id: string): Promise<User> {
  const current = await loadUserToManage(db, actor, id);
  if (current.status === "active") return toUser(current);
  const row = await updateUserVersioned(db, id, null, { status: "active" });
  if (!row) throw notFound("user");
  const user = toUser(row);
  await insertEvent(db, {
    type: "user.updated",
    origin: eventOrigin(actor),
    account: { id: row.account_id, path: row.account_path },
    data: user,
  });
  return user;
}

/** Where a password change comes from: the session making it (kept) and its client address (for the throttle). */
export interface PasswordChangeOrigin extends LoginOrigin {
  /** The bearer token of the request, when it is a session: the one session a change of one's own password keeps. */
  token: string | null;
}

/**
 * Users set their own password, giving the current one (a stolen session alone must not be
 * enough to take the account over); admins set those of users they manage without it. Either
 * way the user's other sessions end: whoever knew the old password is signed out (the
 * credential triggers tell token caches at commit). A wrong current password counts towards the
 * login throttle like a failed login, so this takes the root `db`, not a transaction: the count
 * must stay when the change is refused. The change itself is one transaction.
 */
export async function setUserPassword(db: Db, actor: Actor, input: UsersSetPasswordInput, origin: PasswordChangeOrigin): Promise<User> {
  const self = actor.kind === "user" && actor.id === input.id;
  const current = self ? await loadUserInReach(db, actor, input.id) : await loadUserToManage(db, actor, input.id);
  if (self) {
    if (input.currentPassword === undefined)
      throw badRequest("currentPassword: the current password is required to change your own password");
    await takeLoginAttempt(db, current.email, origin);
    if (!(await verifyPassword(input.currentPassword, current.password_hash, origin.clientAddress)))
      throw badRequest("currentPassword: the current password is wrong");
    await clearLoginFailures(db, current.email, origin);
  }
  const passwordHash = await hashPassword(input.password, origin.clientAddress);
  return db.transaction().execute(async (trx) => {
    const row = await updateUserVersioned(trx, current.id, null, { password_hash: passwordHash });
    if (!row) throw notFound("user");
    await deleteSessionsOfUser(trx, row.id, { except: self && origin.token ? hashSecret(origin.token) : undefined });
    const user = toUser(row);
    await insertEvent(trx, {
      type: "user.updated",
      origin: eventOrigin(actor),
      account: { id: row.account_id, path: row.account_path },
      data: user,
    });
    return user;
  });
}
