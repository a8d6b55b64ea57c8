import type { Database, Kysely } from "@canopy/db";
import { fanOutBatch } from "../webhooks/fanout";
import { markFirstAttemptsQueued } from "../webhooks/webhooks.repository";
import type { DeliveryJob } from "../webhooks/webhooks.schema";
import { markRelayed, type PendingEvent, pendingEvents, pendingEventsWithEndpoints, takeRelayLock } from "./outbox.repository";

type Db = Kysely<Database>;

export type { PendingEvent };

export interface RelayBatchOptions {
  /** Hands the batch to the queue; must throw if anything was not accepted. */
  push: (events: PendingEvent[]) => Promise<void>;
  limit?: number;
  lockTimeoutMs?: number;
  /**
   * Webhook fan-out in the relay (spec §9): with it, the batch's deliveries are written in the
   * relay's transaction and their first attempts handed to `deliver` once it has committed,
   * instead of a fan-out job per event. Must throw if anything was not accepted.
   */
  deliver?: (jobs: DeliveryJob[]) => Promise<void>;
}

/**
 * Relays one batch of committed events to the queues (transactional outbox, spec §8) and
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
 * - The push happens inside the transaction, before the rows are marked: a crash or a Redis
 *   error after the push re-relays the batch, and BullMQ ignores the duplicate jobIds.
 * (`track_commit_timestamp` would give commit times, but it is off by default and costs a
 * write per commit; it is not needed for the guarantee above.)
 */
export async function relayBatch(db: Db, { push, limit = 500, lockTimeoutMs = 10_000, deliver }: RelayBatchOptions): Promise<number> {
  const { relayed, deliveries } = await db.transaction().execute(async (trx) => {
    await takeRelayLock(trx, lockTimeoutMs);
    const withEndpoints = deliver ? await pendingEventsWithEndpoints(trx, limit) : undefined;
    const batch: PendingEvent[] = withEndpoints?.map(({ endpoints, dataBytes, ...event }) => event) ?? (await pendingEvents(trx, limit));
    if (batch.length === 0) return { relayed: 0, deliveries: [] };
    const ids = batch.map((e) => e.id);
    // Rows first, so a failed push rolls them back with the rest of the batch.
    const deliveries = withEndpoints ? await fanOutBatch(trx, withEndpoints) : [];
    await push(batch);
    await markRelayed(trx, ids);
    return { relayed: batch.length, deliveries };
  });
  // Only now can a delivery job find its row. A crash or a Redis error before the mark leaves
  // the rows due and unqueued: the webhook sweep enqueues them (a duplicate job id is dropped).
  if (deliver && deliveries.length > 0) {
    await deliver(deliveries);
    // Not waited for: it only spares the sweep some work, and the relay's next batch goes first.
    markFirstAttemptsQueued(
      db,
      deliveries.map((d) => d.deliveryId),
    ).catch(() => {});
  }
  return relayed;
}

export { countUnrelayed } from "./outbox.repository";
