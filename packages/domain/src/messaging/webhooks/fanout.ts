import type { Db } from "@canopy/db";
import { newId } from "@canopy/domain/shared";
import { eventEndpointPairs } from "./deliveries.repository";
import { eventBody, tooLarge } from "./message";
import { type DeliveryJob, MAX_PAYLOAD_BYTES } from "./webhooks.schema";

/**
 * The jsonb text of an event's data is never shorter than the JSON the sender builds from it
 * (Postgres adds spaces, keeps trailing zeros), and the envelope around it is far below this
 * margin: events whose data is smaller cannot be over the limit; larger ones are measured exactly.
 */
const SURELY_SMALL_BYTES = MAX_PAYLOAD_BYTES - 4096;

/** An event to fan out and the endpoints it goes to (see `eventEndpointPairs`). */
export interface FanOutEvent {
  id: string;
  type: string;
  dataBytes: number;
  endpoints: { id: string; accountId: string }[];
}

/**
 * Turns a relay batch of committed events into one delivery per endpoint that should receive each, in the relay's transaction, in one statement (the
 * endpoints come with the batch's read). The rows are inserted with no job recorded
 * (`queued_until` null), or left to the caller for `queuedForMs` (the worker's in-process first
 * attempts): the caller sends or enqueues the returned jobs once the transaction has committed;
 * should it die in between, the sweep finds them due and unqueued (at once, or once
 * `queuedForMs` has passed). Jobs come in the batch's order.
 */
export async function fanOutBatch(trx: Db, events: FanOutEvent[], opts: { queuedForMs?: number } = {}): Promise<DeliveryJob[]> {
  const wanted = events.filter((e) => e.endpoints.length > 0);
  if (wanted.length === 0) return [];
  const refusals = new Map<string, string | null>();
  const big = wanted.filter((e) => e.dataBytes > SURELY_SMALL_BYTES).map((e) => e.id);
  if (big.length > 0) {
    const rows = await trx.selectFrom("events").select(["id", "type", "occurred_at", "data"]).where("id", "in", big).execute();
    for (const event of rows) refusals.set(event.id, tooLarge(eventBody(event)));
  }
  const now = new Date();
  const queuedUntil = opts.queuedForMs ? new Date(now.getTime() + opts.queuedForMs) : null;
  const rows = wanted.flatMap((event) => {
    const refusal = refusals.get(event.id) ?? null;
    return event.endpoints.map((endpoint) => ({
      id: newId("dlv"),
      endpoint_id: endpoint.id,
      account_id: endpoint.accountId,
      event_id: event.id,
      event_type: event.type,
      message_id: event.id,
      status: refusal ? ("failed" as const) : ("pending" as const),
      next_attempt_at: refusal ? null : now,
      queued_until: queuedUntil,
      last_error: refusal,
    }));
  });
  const inserted = await trx
    .insertInto("webhook_deliveries")
    .values(rows)
    .onConflict((oc) => oc.columns(["endpoint_id", "event_id"]).doNothing())
    .returning(["id", "endpoint_id", "status"])
    .execute();
  const fresh = new Map(inserted.filter((r) => r.status === "pending").map((r) => [r.id, r]));
  return rows.filter((r) => fresh.has(r.id)).map((r) => ({ deliveryId: r.id, endpointId: r.endpoint_id, attempt: 0 }));
}

/**
 * `fanOutBatch` for events given by id (one more statement to find their endpoints): for a writer
 * that fans its own events out in its transaction, ahead of the relay (which then finds their
 * deliveries written and adds none).
 */
export async function fanOutEvents(trx: Db, eventIds: string[], opts: { queuedForMs?: number } = {}): Promise<DeliveryJob[]> {
  if (eventIds.length === 0) return [];
  const pairs = await eventEndpointPairs(trx, eventIds);
  const events = new Map<string, FanOutEvent>();
  for (const p of pairs) {
    const event = events.get(p.event_id) ?? { id: p.event_id, type: p.event_type, dataBytes: p.data_bytes, endpoints: [] };
    event.endpoints.push({ id: p.endpoint_id, accountId: p.account_id });
    events.set(p.event_id, event);
  }
  const order = new Map(eventIds.map((id, i) => [id, i]));
  return fanOutBatch(
    trx,
    [...events.values()].sort((a, b) => order.get(a.id)! - order.get(b.id)!),
    opts,
  );
}
