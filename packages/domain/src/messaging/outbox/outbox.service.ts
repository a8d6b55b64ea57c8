import type { Db } from "@canopy/db";
import { type PendingEvent, takePendingEvents, takeRelayLock } from "./outbox.repository";

export { takeBatch } from "./outbox.repository";

export type { PendingEvent };

/**
 * Something that acts on each relayed batch in the relay's own transaction (the webhook fan-out):
 * it takes the batch itself (`takeBatch`) with what it needs alongside each event (one statement
 * instead of two), writes its rows in the same transaction, and acts once the batch has committed.
 */
export interface RelayConsumer<E extends PendingEvent, R> {
  take(trx: Db, limit: number): Promise<E[]>;
  write(trx: Db, batch: E[]): Promise<R>;
  afterCommit(db: Db, written: R): Promise<void>;
}

export interface RelayBatchOptions<E extends PendingEvent = PendingEvent, R = unknown> {
  /** Hands the batch to the queue; must throw if anything was not accepted. */
  push: (events: PendingEvent[]) => Promise<void>;
  limit?: number;
  lockTimeoutMs?: number;
  consumer?: RelayConsumer<E, R>;
}

/**
 * Relays one batch of committed events to the queues (transactional outbox, docs/events.md) and
 * returns how many it relayed. Call again while it returns `limit`.
 *
 * Why this is "in commit order, at least once":
 * - Sequence values are taken before commit, so a transaction that commits later can hold a
 *   smaller `seq` than one already relayed. A cursor ("everything after seq N") would skip it
 *   forever; instead each row carries its own `relayed_at`, so a late committer is simply
 *   picked up by the next batch, i.e. relayed after what committed before it.
 * - One relay at a time, across every worker process (a transaction-scoped advisory lock that
 *   the others wait for rather than skip). Each batch is read after taking the lock, so it sees
 *   everything committed up to then; a later batch only holds events that committed later or
 *   that did not fit the limit (and those have larger seqs than the ones taken).
 * - Within a batch, rows are ordered by `seq`. Two events where one causally follows the other
 *   (same order, same account: the second transaction waited for the first one's row lock,
 *   then took its seq) therefore keep their order; events of unrelated concurrent transactions
 *   have no meaningful order between them.
 * - The batch is marked relayed by the statement that reads it, and the push happens inside the
 *   same transaction: a crash or a Redis error before the commit undoes the marks and re-relays
 *   the batch, and BullMQ ignores the duplicate jobIds.
 * (`track_commit_timestamp` would give commit times, but it is off by default and costs a
 * write per commit; it is not needed for the guarantee above.)
 */
export async function relayBatch<E extends PendingEvent, R>(
  db: Db,
  { push, limit = 500, lockTimeoutMs = 10_000, consumer }: RelayBatchOptions<E, R>,
): Promise<number> {
  const outcome = await db.transaction().execute(async (trx) => {
    await takeRelayLock(trx, lockTimeoutMs);
    const batch: PendingEvent[] | E[] = consumer ? await consumer.take(trx, limit) : await takePendingEvents(trx, limit);
    if (batch.length === 0) return undefined;
    const written = consumer ? await consumer.write(trx, batch as E[]) : undefined;
    await push(batch.map(({ id, type, accountId, subjectId, seq }) => ({ id, type, accountId, subjectId, seq })));
    return { relayed: batch.length, written };
  });
  if (!outcome) return 0;
  if (consumer) await consumer.afterCommit(db, outcome.written as R);
  return outcome.relayed;
}

export { countUnrelayed } from "./outbox.repository";
