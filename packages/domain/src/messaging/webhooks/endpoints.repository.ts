import type { Db, Insertable, Updateable, WebhookEndpointRow, WebhookEndpointsTable } from "@canopy/db";
import { sql } from "@canopy/db";
import { iso, pathIds } from "@canopy/domain/shared";
import type { WebhookEndpoint } from "./webhooks.schema";

export function toEndpoint(row: WebhookEndpointRow): WebhookEndpoint {
  return {
    id: row.id,
    accountId: row.account_id,
    url: row.url,
    description: row.description,
    eventTypes: row.event_types,
    enabled: row.enabled,
    disabledReason: row.disabled_reason,
    failingSince: row.failing_since ? iso(row.failing_since) : null,
    previousSecretExpiresAt:
      row.previous_secret_expires_at && row.previous_secret_expires_at > new Date() ? iso(row.previous_secret_expires_at) : null,
    createdAt: iso(row.created_at),
    updatedAt: iso(row.updated_at),
  };
}

export async function insertEndpoint(db: Db, row: Insertable<WebhookEndpointsTable>) {
  return db.insertInto("webhook_endpoints").values(row).returningAll().executeTakeFirstOrThrow();
}

export async function findEndpoint(db: Db, id: string, opts: { ownedBy?: string; forUpdate?: boolean } = {}) {
  let query = db.selectFrom("webhook_endpoints").selectAll().where("id", "=", id);
  if (opts.ownedBy) query = query.where("account_id", "=", opts.ownedBy);
  if (opts.forUpdate) query = query.forUpdate();
  return query.executeTakeFirst();
}

export async function listEndpoints(db: Db, q: { accountId: string; enabled?: boolean; afterId?: string; limit: number }) {
  let query = db
    .selectFrom("webhook_endpoints")
    .selectAll()
    .where("account_id", "=", q.accountId)
    .orderBy("id")
    .limit(q.limit + 1);
  if (q.enabled !== undefined) query = query.where("enabled", "=", q.enabled);
  if (q.afterId) query = query.where("id", ">", q.afterId);
  return query.execute();
}

export async function updateEndpointRow(db: Db, id: string, changes: Updateable<WebhookEndpointsTable>) {
  return db
    .updateTable("webhook_endpoints")
    .set({ ...changes, updated_at: sql<Date>`now()`, version: sql<number>`version + 1` })
    .where("id", "=", id)
    .returningAll()
    .executeTakeFirstOrThrow();
}

export async function deleteEndpointRow(db: Db, id: string) {
  await db.deleteFrom("webhook_endpoints").where("id", "=", id).execute();
}

/** Clears a run of failures; writes nothing when there was none, so successes take no row lock. */
export async function clearEndpointFailures(db: Db, id: string) {
  await db
    .updateTable("webhook_endpoints")
    .set({ failing_since: null })
    .where("id", "=", id)
    .where("failing_since", "is not", null)
    .execute();
}

/** Marks the endpoint failing (keeping the start of the run) and returns when the run began. */
export async function markEndpointFailing(db: Db, id: string, at: Date): Promise<Date | undefined> {
  const row = await db
    .updateTable("webhook_endpoints")
    .set({ failing_since: sql<Date>`coalesce(failing_since, ${at})` })
    .where("id", "=", id)
    .returning("failing_since")
    .executeTakeFirst();
  return row?.failing_since ?? undefined;
}

/**
 * The enabled endpoints of an account path's accounts, with the event types they take: the
 * fan-out rule's candidates for that account's events (docs/webhooks.md), read ahead of the
 * transaction that writes them (`recipientsOf`).
 */
export async function enabledEndpointsOnPath(db: Db, accountPath: string) {
  return db
    .selectFrom("webhook_endpoints")
    .select(["id", "account_id", "event_types"])
    .where("account_id", "in", pathIds(accountPath))
    .where("enabled", "=", true)
    .orderBy("id")
    .execute();
}
