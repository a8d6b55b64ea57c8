import { type Db, sendAhead } from "@canopy/db";
import { newId, type WrittenEvent } from "@canopy/domain/shared";
import { type ClaimedDelivery, type NewDelivery, newDeliveries, newDeliveryOf } from "./deliveries.repository";
import { enabledEndpointsOnPath } from "./endpoints.repository";
import { eventBody, tooLarge } from "./message";
import { type DeliveryJob, MAX_PAYLOAD_BYTES } from "./webhooks.schema";

/**
 * The jsonb text of an event's data is never shorter than the JSON the sender builds from it
 * (Postgres adds spaces, keeps trailing zeros), and the envelope around it is far below this
 * margin: events whose data is smaller cannot be over the limit; larger ones are measured exactly.
 */
const SURELY_SMALL_BYTES = MAX_PAYLOAD_BYTES - 4096;

/** An event to fan out and the endpoints it goes to (see `takeEventsWithEndpoints`). */
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

/** Who an account's events go to, read ahead of the transactions that write them. */
export interface Recipients {
  accountPath: string;
  endpoints: Awaited<ReturnType<typeof enabledEndpointsOnPath>>;
}

export async function recipientsOf(db: Db, accountPath: string): Promise<Recipients> {
  return { accountPath, endpoints: await enabledEndpointsOnPath(db, accountPath) };
}

/** The recipients' endpoints that take events of `type`. */
export function endpointsTaking(recipients: Recipients, type: string): Recipients["endpoints"] {
  return recipients.endpoints.filter((w) => w.event_types.length === 0 || w.event_types.includes(type));
}

/**
 * The deliveries of events a transaction is writing (`sendEventWithCommit`), to the endpoints
 * read ahead in `recipients`, sent with the transaction's COMMIT: a writer that fans its own
 * events out (provisioning) pays no round trip for it. The rows are left to this process for
 * `queuedForMs`, except the first delivery to each endpoint of `claimFor`, whose first attempt is
 * written claimed for a sender that already holds that endpoint's slot. Answers, once the
 * transaction has committed, the rows written: their jobs (to send or enqueue, as for
 * `fanOutBatch`), and for claimed ones what the attempt needs.
 *
 * The relay still takes these events, finds their deliveries written, and adds what this left
 * out: an endpoint created since the read, an event of another account, or one whose size only
 * an exact measure can clear. A row whose endpoint was disabled or deleted since the read is
 * not written.
 */
export async function fanOutWithCommit(
  trx: Db,
  events: WrittenEvent[],
  recipients: Recipients,
  opts: { queuedForMs?: number; claimFor?: { endpointIds: ReadonlySet<string>; leaseMs: number } } = {},
): Promise<{ written: Promise<{ job: DeliveryJob; claimed?: ClaimedDelivery }[]> }> {
  const claimable = new Set(opts.claimFor?.endpointIds);
  const rows = events
    .filter((e) => e.accountPath === recipients.accountPath && e.dataBytes <= SURELY_SMALL_BYTES)
    .flatMap((event) =>
      endpointsTaking(recipients, event.type).map(
        (w): NewDelivery => ({
          id: newId("dlv"),
          endpoint_id: w.id,
          account_id: w.account_id,
          event_id: event.id,
          event_type: event.type,
          claimed: claimable.delete(w.id), // the first delivery to each such endpoint only
        }),
      ),
    );
  if (rows.length === 0) return { written: Promise.resolve([]) };
  const now = new Date();
  const queuedUntil = opts.queuedForMs ? new Date(now.getTime() + opts.queuedForMs) : null;
  const { answer } = await sendAhead(trx, newDeliveries(rows, { now, queuedUntil, leaseMs: opts.claimFor?.leaseMs ?? 0 }));
  return {
    written: answer.then((written) => {
      const byId = new Map(written.map((r) => [r.id, r]));
      return rows.flatMap((r) => {
        const row = byId.get(r.id);
        return row ? [newDeliveryOf(row)] : [];
      });
    }),
  };
}
