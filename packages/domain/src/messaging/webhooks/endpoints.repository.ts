import type { Db, Insertable, Updateable, WebhookEndpointRow, WebhookEndpointsTable } from "@canopy/db";
import { sql } from "@canopy/db";
import { accountIdsOnPath, type EventType, iso, pathIds } from "@canopy/domain/shared";
import { type PendingEvent, takeBatch } from "../outbox/outbox.repository";
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

/** A pending event with the endpoints it goes to (docs/webhooks.md), by the fan-out rule. */
export interface PendingEventWithEndpoints extends PendingEvent {
  endpoints: { id: string; accountId: string }[];
  /** The size of the event's data as Postgres prints it (never less than as JSON.stringify does). */
  dataBytes: number;
}

/**
 * The relay's batch (`takeBatch`: read and marked relayed) and the webhook endpoints each event
 * goes to, in one round trip: the relay's fan-out costs no extra statement for a batch that no
 * endpoint wants.
 */
export async function takeEventsWithEndpoints(trx: Db, limit: number): Promise<PendingEventWithEndpoints[]> {
  const { rows } = await sql<{
    id: string;
    type: EventType;
    account_id: string;
    seq: number;
    subject_id: string | null;
    data_bytes: number;
    endpoint_id: string | null;
    endpoint_account_id: string | null;
  }>`
    with relayed as (${takeBatch(limit)})
    select e.id, e.type, e.account_id, e.seq, e.data->>'id' as subject_id, octet_length(e.data::text) as data_bytes,
           w.id as endpoint_id, w.account_id as endpoint_account_id
      from relayed e
      left join webhook_endpoints w
        on w.account_id = any(${accountIdsOnPath(sql.ref("e.account_path"))})
       and w.enabled
       and (cardinality(w.event_types) = 0 or e.type = any(w.event_types))
       and w.created_at < e.occurred_at
       -- Written already by the transaction that wrote the event (see fanOutWithCommit):
       -- the relay then has no delivery to insert, and skips the statement.
       and not exists (select from webhook_deliveries d where d.endpoint_id = w.id and d.event_id = e.id)
     order by e.seq, w.id`.execute(trx);
  const events: PendingEventWithEndpoints[] = [];
  for (const r of rows) {
    let event = events.at(-1);
    if (event?.id !== r.id) {
      event = {
        id: r.id,
        type: r.type,
        accountId: r.account_id,
        subjectId: r.subject_id ?? r.account_id,
        seq: r.seq,
        endpoints: [],
        dataBytes: r.data_bytes,
      };
      events.push(event);
    }
    if (r.endpoint_id && r.endpoint_account_id) event.endpoints.push({ id: r.endpoint_id, accountId: r.endpoint_account_id });
  }
  return events;
}
