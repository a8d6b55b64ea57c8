import type { Db } from "@canopy/db";
import type { RelayConsumer } from "../outbox/outbox.service";
import { markFirstAttemptsQueued } from "./deliveries.repository";
import { type PendingEventWithEndpoints, takeEventsWithEndpoints } from "./endpoints.repository";
import { fanOutBatch } from "./fanout";
import type { DeliveryJob } from "./webhooks.schema";

/**
 * The webhook fan-out as a consumer of the outbox relay: each batch's deliveries are written in
 * the relay's transaction, and their first attempts handed to `deliver` once it has committed,
 * instead of a fan-out job per event. `deliver` must throw if anything was not accepted.
 */
export function webhookFanOut(
  deliver: (jobs: DeliveryJob[]) => Promise<DeliveryJob[]>,
  opts: { queuedForMs?: number } = {},
): RelayConsumer<PendingEventWithEndpoints, DeliveryJob[]> {
  return {
    take: takeEventsWithEndpoints,
    // Rows first, so a failed push rolls them back with the rest of the batch.
    write: (trx, batch) => fanOutBatch(trx, batch, opts),
    afterCommit: (db, deliveries) => sendFirstAttempts(db, deliver, deliveries),
  };
}

/**
 * After the transaction that wrote `deliveries` has committed (the relay's, or a writer that fans
 * out its own events): hands their first attempts to `deliver`, and marks those it enqueued as
 * queued for longer. Only now can an attempt find its row. A crash or a Redis error before the
 * mark leaves the rows due and unqueued (at once, or after their `queued_until`): the webhook
 * sweep enqueues them (a duplicate job id is dropped, a duplicate attempt loses its claim).
 */
export async function sendFirstAttempts(
  db: Db,
  deliver: (jobs: DeliveryJob[]) => Promise<DeliveryJob[]>,
  deliveries: DeliveryJob[],
): Promise<void> {
  if (deliveries.length === 0) return;
  const enqueued = await deliver(deliveries);
  // Not waited for: it only spares the sweep some work, and the relay's next batch goes first.
  markFirstAttemptsQueued(
    db,
    enqueued.map((d) => d.deliveryId),
  ).catch(() => {});
}
