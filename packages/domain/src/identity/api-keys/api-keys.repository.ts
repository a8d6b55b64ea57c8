import type { ApiKeyRow, ApiKeysTable, Db, Insertable } from "@canopy/db";
import { sql } from "@canopy/db";
import { iso, subtreeRange } from "@canopy/domain/shared";
import type { ApiKey } from "./api-keys.schema";

export function toApiKey(row: ApiKeyRow): ApiKey {
  return {
    id: row.id,
    accountId: row.account_id,
    name: row.name,
    prefix: row.prefix,
    kind: row.kind,
    isvName: row.isv_name,
    createdAt: iso(row.created_at),
    lastUsedAt: row.last_used_at ? iso(row.last_used_at) : null,
    revokedAt: row.revoked_at ? iso(row.revoked_at) : null,
  };
}

export async function insertApiKey(db: Db, row: Insertable<ApiKeysTable>) {
  return db.insertInto("api_keys").values(row).returningAll().executeTakeFirstOrThrow();
}

export async function findApiKey(db: Db, id: string) {
  return db.selectFrom("api_keys").selectAll().where("id", "=", id).executeTakeFirst();
}

export async function revokeApiKeyRow(db: Db, id: string) {
  return db
    .updateTable("api_keys")
    .set({ revoked_at: sql<Date>`coalesce(revoked_at, now())` })
    .where("id", "=", id)
    .returningAll()
    .executeTakeFirstOrThrow();
}

export async function listApiKeys(
  db: Db,
  q: { subtreeOf: string; accountId?: string; includeRevoked: boolean; afterId?: string; limit: number },
) {
  const { from, to } = subtreeRange(q.subtreeOf);
  let query = db
    .selectFrom("api_keys")
    .selectAll()
    .where("account_path", ">=", from)
    .where("account_path", "<", to)
    .orderBy("id")
    .limit(q.limit + 1);
  if (q.accountId) query = query.where("account_id", "=", q.accountId);
  if (!q.includeRevoked) query = query.where("revoked_at", "is", null);
  if (q.afterId) query = query.where("id", ">", q.afterId);
  return query.execute();
}
