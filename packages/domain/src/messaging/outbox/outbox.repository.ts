import { type Db, sendAhead, sql } from "@canopy/db";
import type { EventType } from "@canopy/domain/shared";

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
  // The subquery in FROM sets the timeout before the lock is asked for. Sent ahead: the
  // statement that takes the batch goes out with it, and starts (with its snapshot) once the
  // lock is held.
  await sendAhead(
    trx,
    sql`select pg_advisory_xact_lock(${RELAY_LOCK}) from (select set_config('lock_timeout', ${`${timeoutMs}ms`}, true)) as timeout`,
  );
}

/**
 * The statement that takes a batch: the oldest unrelayed committed events, by insert sequence
 * (served by a partial index), marked relayed and numbered in relay order (nextval runs after
 * the ORDER BY and the LIMIT), returned. Reading and marking in one round trip is safe because
 * both happen in the relay's transaction: if anything after it fails, the marks roll back.
 * For use as a data-modifying CTE (`with relayed as (…)`).
 */
export const takeBatch = (limit: number) => sql`
  update events e
     set relayed_at = now(), relay_seq = n.relay_seq
    from (select id, nextval('events_relay_seq') as relay_seq
            from events
           where relayed_at is null
           order by seq
           limit ${limit}) n
   where e.id = n.id
  returning e.id, e.type, e.account_id, e.account_path, e.seq, e.occurred_at, e.data`;

/** Takes a batch (see `takeBatch`), in insert sequence. */
export async function takePendingEvents(trx: Db, limit: number): Promise<PendingEvent[]> {
  const { rows } = await sql<{ id: string; type: EventType; account_id: string; seq: number; subject_id: string | null }>`
    with relayed as (${takeBatch(limit)})
    select id, type, account_id, seq, data->>'id' as subject_id from relayed order by seq`.execute(trx);
  return rows.map((r) => ({
    id: r.id,
    type: r.type,
    accountId: r.account_id,
    subjectId: r.subject_id ?? r.account_id,
    seq: r.seq,
  }));
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
