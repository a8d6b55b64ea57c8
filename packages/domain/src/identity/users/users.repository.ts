import type { Db, UserRow, UsersTable } from "@canopy/db";
import { type Insertable, sql, type Updateable } from "@canopy/db";
import { iso, subtreeRange } from "@canopy/domain/shared";
import type { User } from "./users.schema";

export function toUser(row: UserRow): User {
  return {
    id: row.id,
    accountId: row.account_id,
    role: row.role,
    email: row.email,
    name: row.name,
    status: row.status,
    createdAt: iso(row.created_at),
    updatedAt: iso(row.updated_at),
    version: row.version,
  };
}

export async function findUser(db: Db, id: string) {
  return db.selectFrom("users").selectAll().where("id", "=", id).executeTakeFirst();
}

export async function findUserByEmail(db: Db, email: string) {
  return db.selectFrom("users").selectAll().where(sql`lower(email)`, "=", email.toLowerCase()).executeTakeFirst();
}

export async function insertUser(db: Db, row: Insertable<UsersTable>) {
  return db.insertInto("users").values(row).returningAll().executeTakeFirstOrThrow();
}

export async function updateUserVersioned(db: Db, id: string, version: number | null, changes: Updateable<UsersTable>) {
  let q = db
    .updateTable("users")
    .set({ ...changes, updated_at: sql<Date>`now()`, version: sql<number>`version + 1` })
    .where("id", "=", id);
  if (version !== null) q = q.where("version", "=", version);
  return q.returningAll().executeTakeFirst();
}

export interface UserQuery {
  subtreeOf: string;
  accountId?: string;
  role?: User["role"];
  status?: User["status"];
  afterId?: string;
  limit: number;
}

export async function listUsers(db: Db, q: UserQuery) {
  const { from, to } = subtreeRange(q.subtreeOf);
  let query = db
    .selectFrom("users")
    .selectAll()
    .where("account_path", ">=", from)
    .where("account_path", "<", to)
    .orderBy("id")
    .limit(q.limit + 1);
  if (q.accountId) query = query.where("account_id", "=", q.accountId);
  if (q.role) query = query.where("role", "=", q.role);
  if (q.status) query = query.where("status", "=", q.status);
  if (q.afterId) query = query.where("id", ">", q.afterId);
  return query.execute();
}

/** Ends the user's sessions, but the one whose token hash is `except`. */
export async function deleteSessionsOfUser(db: Db, userId: string, { except }: { except?: Buffer } = {}) {
  let query = db.deleteFrom("sessions").where("user_id", "=", userId);
  if (except) query = query.where("token_hash", "!=", except);
  await query.execute();
}
