import { type Db, sql } from "@canopy/db";
import { accountIdsOnPath, type EventType } from "@canopy/domain/shared";
import { type PendingEvent, type RelayConsumer, takeBatch } from "../outbox/outbox.service";
import { markFirstAttemptsQueued } from "./deliveries.repository";
import { fanOutBatch } from "./fanout";
import type { DeliveryJob } from "./webhooks.schema";

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
