import type {
  Db,
  Insertable,
  Updateable,
  WebhookDeliveriesTable,
  WebhookDeliveryAttemptRow,
  WebhookDeliveryAttemptsTable,
  WebhookDeliveryRow,
  WebhookEndpointRow,
} from "@canopy/db";
import { sql } from "@canopy/db";
import { iso, subtreeRange } from "@canopy/domain/shared";
import type { DeliveryJob, WebhookDelivery, WebhookDeliveryAttempt, WebhookDeliveryListed } from "./webhooks.schema";

export function toDelivery(row: WebhookDeliveryRow): WebhookDelivery {
  return {
    id: row.id,
    endpointId: row.endpoint_id,
    eventId: row.event_id,
    eventType: row.event_type,
    messageId: row.message_id,
    status: row.status,
    attempts: row.attempts,
    nextAttemptAt: row.status === "pending" && row.next_attempt_at ? iso(row.next_attempt_at) : null,
    lastStatus: row.last_status,
    lastError: row.last_error,
    createdAt: iso(row.created_at),
    updatedAt: iso(row.updated_at),
  };
}

export function toAttempt(row: WebhookDeliveryAttemptRow): WebhookDeliveryAttempt {
  return {
    id: row.id,
    attemptedAt: iso(row.attempted_at),
    statusCode: row.status_code,
    durationMs: row.duration_ms,
    responseBody: row.response_body,
    error: row.error,
  };
}

export async function insertDeliveries(db: Db, rows: Insertable<WebhookDeliveriesTable>[]) {
  if (rows.length === 0) return;
  // A fan-out that runs twice for one event finds its rows already there: nothing changes.
  await db
    .insertInto("webhook_deliveries")
    .values(rows)
    .onConflict((oc) => oc.columns(["endpoint_id", "event_id"]).doNothing())
    .execute();
}

/** After their jobs were added: the sweep leaves these deliveries to them (unless already attempted). */
export async function markFirstAttemptsQueued(db: Db, deliveryIds: string[]): Promise<void> {
  if (deliveryIds.length === 0) return;
  await db
    .updateTable("webhook_deliveries")
    .set({ queued_until: sql<Date>`now() + ${`${QUEUED_TRUST_MS} milliseconds`}::interval` })
    .where("id", "in", deliveryIds)
    .where("attempts", "=", 0)
    .execute();
}

export async function insertDelivery(db: Db, row: Insertable<WebhookDeliveriesTable>) {
  return db.insertInto("webhook_deliveries").values(row).returningAll().executeTakeFirstOrThrow();
}

/**
 * One delivery; with `ownedBy`, only if that account owns the endpoint; with `within`, only if
 * the endpoint's owner is in the subtree of that account path.
 */
export async function findDelivery(db: Db, id: string, opts: { ownedBy?: string; within?: string } = {}) {
  let query = db.selectFrom("webhook_deliveries").selectAll().where("id", "=", id);
  if (opts.ownedBy) query = query.where("account_id", "=", opts.ownedBy);
  if (opts.within !== undefined) {
    const { from, to } = subtreeRange(opts.within);
    query = query.where(({ exists, selectFrom }) =>
      exists(
        selectFrom("webhook_endpoints as w")
          .select("w.id")
          .whereRef("w.id", "=", "webhook_deliveries.endpoint_id")
          .where("w.account_path", ">=", from)
          .where("w.account_path", "<", to),
      ),
    );
  }
  return query.executeTakeFirst();
}

/** A delivery row as lists read it: with its endpoint's URL and its owner's name. */
export type ListedDeliveryRow = WebhookDeliveryRow & { endpoint_url: string; account_name: string };

export function toListedDelivery(row: ListedDeliveryRow): WebhookDeliveryListed {
  return { ...toDelivery(row), endpointUrl: row.endpoint_url, account: { id: row.account_id, name: row.account_name } };
}

/**
 * Deliveries newest first, of the endpoints of one account (`accountId`) or of every account in
 * a subtree (`within`, an account path), with each endpoint's URL and owner.
 */
export async function listDeliveries(
  db: Db,
  q: {
    accountId?: string;
    within?: string;
    endpointId?: string;
    eventId?: string;
    status?: string;
    beforeId?: string;
    limit: number;
  },
): Promise<ListedDeliveryRow[]> {
  let query = db
    .selectFrom("webhook_deliveries as d")
    .innerJoin("webhook_endpoints as w", "w.id", "d.endpoint_id")
    .innerJoin("accounts as a", "a.id", "d.account_id")
    .selectAll("d")
    .select(["w.url as endpoint_url", "a.name as account_name"])
    .orderBy("d.id", "desc")
    .limit(q.limit + 1);
  if (q.accountId) query = query.where("d.account_id", "=", q.accountId);
  if (q.within !== undefined) {
    const { from, to } = subtreeRange(q.within);
    query = query.where("w.account_path", ">=", from).where("w.account_path", "<", to);
  }
  if (q.endpointId) query = query.where("d.endpoint_id", "=", q.endpointId);
  if (q.eventId) query = query.where("d.event_id", "=", q.eventId);
  if (q.status) query = query.where("d.status", "=", q.status as WebhookDeliveryRow["status"]);
  if (q.beforeId) query = query.where("d.id", "<", q.beforeId);
  return query.execute();
}

export async function listAttempts(db: Db, deliveryId: string) {
  return db.selectFrom("webhook_delivery_attempts").selectAll().where("delivery_id", "=", deliveryId).orderBy("id").execute();
}

/** What an attempt needs, read in the same statement that claims it. */
export interface ClaimedDelivery {
  delivery: WebhookDeliveryRow;
  endpoint: Pick<
    WebhookEndpointRow,
    "id" | "url" | "secret_sealed" | "previous_secret_sealed" | "previous_secret_expires_at" | "failing_since"
  >;
  /** Null for a test message (its body is stored), or if the event is gone. */
  event: { type: string; occurred_at: Date; data: unknown } | null;
}

type ClaimedRow = WebhookDeliveryRow & {
  endpoint_url: string;
  secret_sealed: string;
  previous_secret_sealed: string | null;
  previous_secret_expires_at: Date | null;
  endpoint_failing_since: Date | null;
  ev_type: string | null;
  ev_occurred_at: Date | null;
  ev_data: unknown;
};

/** The columns of `ClaimedRow` that come from the endpoint, aliased `e`. */
const CLAIMED_ENDPOINT_COLUMNS = sql`e.url as endpoint_url, e.secret_sealed, e.previous_secret_sealed, e.previous_secret_expires_at,
  e.failing_since as endpoint_failing_since`;

/**
 * Takes the right to make attempt number `attempt + 1` of a delivery to an enabled endpoint:
 * only one caller wins, however many duplicate jobs arrive. The lease pushes next_attempt_at
 * past the attempt's longest duration, so the sweep re-sends it only if this worker dies
 * mid-attempt. One round trip also brings the endpoint and the event: this is the hot path.
 */
export async function claimAttempt(db: Db, id: string, attempt: number, leaseMs: number): Promise<ClaimedDelivery | undefined> {
  return (await claimAttempts(db, [{ id, attempt }], leaseMs))[0];
}

/**
 * The delivery log's hot statements (a claim, a success) commit without waiting for their WAL
 * to reach disk (`synchronous_commit` off for that statement's transaction only; the session
 * keeps its setting). A worker crash loses nothing by it: Postgres has the commit. Only a crash
 * of Postgres itself can forget the last fraction of a second of claims and successes, and then
 * those deliveries are sent again, with the same webhook-id, as the at-least-once contract
 * already allows (docs/webhooks.md). The deliveries themselves, failures and retries stay
 * durable commits. On the way from an order to its first webhook this is one disk flush fewer
 * before the request.
 */
const DELIVERY_LOG_COMMIT = sql`(select set_config('synchronous_commit', 'off', true)) as delivery_log_commit`;

/**
 * `claimAttempt` for many deliveries in one statement (the delivery log's batches). Answers in
 * the order asked; a (delivery, attempt) asked twice is granted to its first asker only.
 */
export async function claimAttempts(
  db: Db,
  asks: { id: string; attempt: number }[],
  leaseMs: number,
): Promise<(ClaimedDelivery | undefined)[]> {
  if (asks.length === 0) return [];
  const { rows } = await sql<ClaimedRow>`
    update webhook_deliveries d
       set attempts = d.attempts + 1, next_attempt_at = now() + ${`${leaseMs} milliseconds`}::interval, queued_until = null, updated_at = now()
      from webhook_endpoints e, unnest(${asks.map((a) => a.id)}::text[], ${asks.map((a) => a.attempt)}::int[]) as c(id, attempt),
           ${DELIVERY_LOG_COMMIT}
     where d.id = c.id and d.status = 'pending' and d.attempts = c.attempt
       and (d.next_attempt_at is null or d.next_attempt_at <= now() + interval '2 seconds')
       and e.id = d.endpoint_id and e.enabled
    returning d.*, ${CLAIMED_ENDPOINT_COLUMNS},
      (select type from events where id = d.event_id) as ev_type,
      (select occurred_at from events where id = d.event_id) as ev_occurred_at,
      (select data from events where id = d.event_id) as ev_data`.execute(db);
  // A row is updated once even if asked for twice; `attempts` is now the number asked + 1.
  const won = new Map(rows.map((r) => [`${r.id}/${r.attempts - 1}`, r]));
  return asks.map((a) => {
    const key = `${a.id}/${a.attempt}`;
    const row = won.get(key);
    won.delete(key);
    return row && toClaimed(row);
  });
}

function toClaimed(row: ClaimedRow): ClaimedDelivery {
  const {
    endpoint_url,
    secret_sealed,
    previous_secret_sealed,
    previous_secret_expires_at,
    endpoint_failing_since,
    ev_type,
    ev_occurred_at,
    ev_data,
    ...delivery
  } = row;
  return {
    delivery,
    endpoint: {
      id: delivery.endpoint_id,
      url: endpoint_url,
      secret_sealed,
      previous_secret_sealed,
      previous_secret_expires_at,
      failing_since: endpoint_failing_since,
    },
    event: ev_type && ev_occurred_at ? { type: ev_type, occurred_at: ev_occurred_at, data: ev_data } : null,
  };
}

/** A delivery row `newDeliveries` writes: claimed rows are written as `claimAttempts` leaves them. */
export interface NewDelivery {
  id: string;
  endpoint_id: string;
  account_id: string;
  event_id: string;
  event_type: string;
  claimed: boolean;
}

/**
 * Writes a transaction's own deliveries (see `fanOutWithCommit`), due now or left to this
 * process until `queuedUntil`, or, where `claimed`, with their first attempt already claimed
 * (a lease of `leaseMs`) for a sender holding the endpoint's slot. Rows whose endpoint was
 * disabled or deleted meanwhile are not written. Returned as a statement, to be sent with the
 * commit; it answers each row written, and for claimed ones what the attempt needs.
 */
export function newDeliveries(rows: NewDelivery[], opts: { now: Date; queuedUntil: Date | null; leaseMs: number }) {
  const column = <K extends keyof NewDelivery>(key: K) => rows.map((r) => r[key]);
  return sql<ClaimedRow>`
    with v as (
      select * from unnest(${column("id")}::text[], ${column("endpoint_id")}::text[], ${column("account_id")}::text[],
                           ${column("event_id")}::text[], ${column("event_type")}::text[], ${column("claimed")}::bool[])
                 as v(id, endpoint_id, account_id, event_id, event_type, claimed)
    ), inserted as (
      insert into webhook_deliveries (id, endpoint_id, account_id, event_id, event_type, message_id, status, attempts, next_attempt_at, queued_until)
      select v.id, v.endpoint_id, v.account_id, v.event_id, v.event_type, v.event_id, 'pending',
             case when v.claimed then 1 else 0 end,
             case when v.claimed then now() + ${`${opts.leaseMs} milliseconds`}::interval else ${opts.now}::timestamptz end,
             case when v.claimed then null else ${opts.queuedUntil}::timestamptz end
        from v
       where exists (select from webhook_endpoints w where w.id = v.endpoint_id and w.enabled)
      on conflict (endpoint_id, event_id) do nothing
      returning *
    )
    select i.*, ${CLAIMED_ENDPOINT_COLUMNS}, ev.type as ev_type, ev.occurred_at as ev_occurred_at, ev.data as ev_data
      from inserted i
      left join webhook_endpoints e on i.attempts = 1 and e.id = i.endpoint_id
      left join events ev on i.attempts = 1 and ev.id = i.event_id`;
}

/** A row `newDeliveries` answered: its job, and for a claimed one what the attempt needs. */
export function newDeliveryOf(row: ClaimedRow): { job: DeliveryJob; claimed?: ClaimedDelivery } {
  const job = { deliveryId: row.id, endpointId: row.endpoint_id, attempt: 0 };
  return row.attempts === 1 ? { job, claimed: toClaimed(row) } : { job };
}

/** A successful attempt: logged and the delivery settled in one statement. */
export async function recordSuccess(
  db: Db,
  attempt: Insertable<WebhookDeliveryAttemptsTable>,
  lastStatus: number,
): Promise<WebhookDeliveryRow> {
  const [row] = await recordSuccesses(db, [{ attempt, lastStatus }]);
  if (!row) throw new Error(`delivery ${attempt.delivery_id} not found`);
  return row;
}

/** `recordSuccess` for many attempts (of distinct deliveries) in one statement; rows in the order given. */
export async function recordSuccesses(
  db: Db,
  items: { attempt: Insertable<WebhookDeliveryAttemptsTable>; lastStatus: number }[],
): Promise<(WebhookDeliveryRow | undefined)[]> {
  if (items.length === 0) return [];
  const { rows } = await sql<WebhookDeliveryRow>`
    with v as (
      select * from unnest(
        ${items.map((i) => i.attempt.id)}::text[], ${items.map((i) => i.attempt.delivery_id)}::text[],
        ${items.map((i) => i.attempt.attempted_at)}::timestamptz[], ${items.map((i) => i.attempt.status_code ?? null)}::int[],
        ${items.map((i) => i.attempt.duration_ms)}::int[], ${items.map((i) => i.attempt.response_body ?? null)}::text[],
        ${items.map((i) => i.lastStatus)}::int[]
      ) as v(id, delivery_id, attempted_at, status_code, duration_ms, response_body, last_status)
    ), logged as (
      insert into webhook_delivery_attempts (id, delivery_id, attempted_at, status_code, duration_ms, response_body, error)
      select id, delivery_id, attempted_at, status_code, duration_ms, response_body, null from v
    )
    update webhook_deliveries d
       set status = 'succeeded', next_attempt_at = null, last_status = v.last_status, last_error = null, updated_at = now()
      from v, ${DELIVERY_LOG_COMMIT}
     where d.id = v.delivery_id
    returning d.*`.execute(db);
  const byId = new Map(rows.map((r) => [r.id, r]));
  return items.map((i) => byId.get(i.attempt.delivery_id));
}

export async function updateDeliveryRow(db: Db, id: string, changes: Updateable<WebhookDeliveriesTable>) {
  return db
    .updateTable("webhook_deliveries")
    .set({ ...changes, updated_at: sql<Date>`now()` })
    .where("id", "=", id)
    .returningAll()
    .executeTakeFirstOrThrow();
}

export async function insertAttempt(db: Db, row: Insertable<WebhookDeliveryAttemptsTable>) {
  await db.insertInto("webhook_delivery_attempts").values(row).execute();
}

/** How long a delivery with a job in the queue is left to that job before the sweep adds another. */
export const QUEUED_TRUST_MS = 10 * 60_000;

/**
 * Takes a batch of pending deliveries whose time has come and that have no job in the queue
 * (hand-made retries, recover, an add that failed, a worker that died mid-attempt) and marks
 * them queued, in one statement, so that two sweeping workers never take the same rows.
 */
export async function takeDueDeliveries(db: Db, limit: number): Promise<DeliveryJob[]> {
  const { rows } = await sql<{ id: string; endpoint_id: string; attempts: number }>`
    update webhook_deliveries
       set queued_until = now() + ${`${QUEUED_TRUST_MS} milliseconds`}::interval
     where id in (
       select id from webhook_deliveries
        where status = 'pending' and next_attempt_at <= now() and (queued_until is null or queued_until < now())
        order by next_attempt_at
        limit ${limit}
        for update skip locked)
    returning id, endpoint_id, attempts`.execute(db);
  return rows.map((r) => ({ deliveryId: r.id, endpointId: r.endpoint_id, attempt: r.attempts }));
}

/** Events in an endpoint's reach since `since` that it has not received and is not about to. */
export async function missedEvents(db: Db, endpoint: WebhookEndpointRow, since: Date, limit: number) {
  const { from, to } = subtreeRange(endpoint.account_path);
  let query = db
    .selectFrom("events")
    .select(["id", "type"])
    .where("account_path", ">=", from)
    .where("account_path", "<", to)
    .where("occurred_at", ">=", since)
    // Strictly after the endpoint's creation, as the fan-out: not its own webhook.endpoint.created.
    // Compared in SQL: the row's microseconds, which a JavaScript Date would round away.
    .where("occurred_at", ">", sql<Date>`(select created_at from webhook_endpoints where id = ${endpoint.id})`)
    .where(({ not, exists, selectFrom }) =>
      not(
        exists(
          selectFrom("webhook_deliveries as d")
            .select("d.id")
            .whereRef("d.event_id", "=", "events.id")
            .where("d.endpoint_id", "=", endpoint.id)
            .where("d.status", "in", ["succeeded", "pending"]),
        ),
      ),
    )
    .orderBy("id")
    .limit(limit);
  if (endpoint.event_types.length > 0) query = query.where("type", "in", endpoint.event_types);
  return query.execute();
}

/** Creates the missing deliveries and re-opens the failed ones, all due now. */
export async function reopenDeliveries(db: Db, rows: Insertable<WebhookDeliveriesTable>[]) {
  let count = 0;
  // Postgres takes at most 65,535 parameters per statement: insert in chunks.
  for (let i = 0; i < rows.length; i += 1000) {
    const result = await db
      .insertInto("webhook_deliveries")
      .values(rows.slice(i, i + 1000))
      .onConflict((oc) =>
        oc
          .columns(["endpoint_id", "event_id"])
          .doUpdateSet({ status: "pending", next_attempt_at: sql<Date>`now()`, queued_until: null, updated_at: sql<Date>`now()` })
          .where("webhook_deliveries.status", "=", "failed"),
      )
      .executeTakeFirst();
    count += Number(result.numInsertedOrUpdatedRows ?? 0);
  }
  return count;
}
