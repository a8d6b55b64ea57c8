import { type Database, type Kysely, sql } from "@canopy/db";
import type { EventType } from "../events/events.schema";

type Db = Kysely<Database>;

export interface PendingEvent {
  id: string;
  type: EventType;
  accountId: string;
  /** `data.id`: the resource the event is about. */
  subjectId: string;
  seq: number;
}

// Any constant shared by every relay process; transaction-scoped, so a crashed relay's lock
// goes with its connection.
const RELAY_LOCK = 0x63616e6f70790001n;

/**
 * Waits (bounded) for the relay lock of this transaction. The wait makes relays of several
 * worker processes take turns instead of skipping: a relay woken while another runs still
 * gets its turn, with a fresh snapshot that sees what committed meanwhile.
 */
export async function takeRelayLock(trx: Db, timeoutMs: number): Promise<void> {
  // Transaction-local; it also bounds the batch's own statements, which never wait on locks.
  // One round trip: the subquery in FROM sets the timeout before the lock is asked for.
  await sql`select pg_advisory_xact_lock(${RELAY_LOCK}) from (select set_config('lock_timeout', ${`${timeoutMs}ms`}, true)) as timeout`.execute(trx);
}

/** The oldest unrelayed committed events, by insert sequence (served by a partial index). */
export async function pendingEvents(trx: Db, limit: number): Promise<PendingEvent[]> {
  const rows = await trx
    .selectFrom("events")
    .select(["id", "type", "account_id", "seq", sql<string>`data->>'id'`.as("subject_id")])
    .where("relayed_at", "is", null)
    .orderBy("seq")
    .limit(limit)
    .execute();
  return rows.map((r) => ({ id: r.id, type: r.type as EventType, accountId: r.account_id, subjectId: r.subject_id ?? r.account_id, seq: r.seq }));
}

/** A pending event with the endpoints it goes to (spec §9), as `eventEndpointPairs` finds them. */
export interface PendingEventWithEndpoints extends PendingEvent {
  endpoints: { id: string; accountId: string }[];
  /** The size of the event's data as Postgres prints it (never less than as JSON.stringify does). */
  dataBytes: number;
}

/**
 * `pendingEvents` and the webhook endpoints each event goes to, in one round trip: the relay's
 * fan-out costs no extra statement for a batch that no endpoint wants.
 */
export async function pendingEventsWithEndpoints(trx: Db, limit: number): Promise<PendingEventWithEndpoints[]> {
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
    select e.id, e.type, e.account_id, e.seq, e.data->>'id' as subject_id, octet_length(e.data::text) as data_bytes,
           w.id as endpoint_id, w.account_id as endpoint_account_id
      from (select * from events where relayed_at is null order by seq limit ${limit}) e
      left join webhook_endpoints w
        on w.account_id = any(string_to_array(rtrim(e.account_path, '.'), '.'))
       and w.enabled
       and (cardinality(w.event_types) = 0 or e.type = any(w.event_types))
       and w.created_at <= e.occurred_at
     order by e.seq, w.id`.execute(trx);
  const events: PendingEventWithEndpoints[] = [];
  for (const r of rows) {
    let event = events.at(-1);
    if (event?.id !== r.id) {
      event = { id: r.id, type: r.type, accountId: r.account_id, subjectId: r.subject_id ?? r.account_id, seq: r.seq, endpoints: [], dataBytes: r.data_bytes };
      events.push(event);
    }
    if (r.endpoint_id && r.endpoint_account_id) event.endpoints.push({ id: r.endpoint_id, accountId: r.endpoint_account_id });
  }
  return events;
}

/** Marks events relayed, numbering them in relay order (nextval runs after the ORDER BY). */
export async function markRelayed(trx: Db, ids: string[]): Promise<void> {
  if (ids.length === 0) return;
  await sql`
    update events e
       set relayed_at = now(), relay_seq = n.relay_seq
      from (select id, nextval('events_relay_seq') as relay_seq
              from events
             where id = any(${ids}::text[])
             order by seq) n
     where e.id = n.id`.execute(trx);
}

/** How many committed events still wait for the relay (for tests, metrics and readiness). */
export async function countUnrelayed(db: Db): Promise<number> {
  const row = await db
    .selectFrom("events")
    .select((eb) => eb.fn.countAll<number>().as("n"))
    .where("relayed_at", "is", null)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}
