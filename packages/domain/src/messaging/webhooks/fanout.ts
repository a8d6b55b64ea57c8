import { type Db, sendWithCommit, sql } from "@canopy/db";
import { newId, type WrittenEvent } from "@canopy/domain/shared";
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
  endpoints: { id: string; account_id: string; event_types: string[] }[];
}

export async function recipientsOf(db: Db, accountPath: string): Promise<Recipients> {
  return { accountPath, endpoints: await enabledEndpointsOnPath(db, accountPath) };
}

/**
 * The deliveries of events a transaction is writing (`sendEventWithCommit`), to the endpoints
 * read ahead in `recipients`, sent with the transaction's COMMIT: a writer that fans its own
 * events out (provisioning) pays no round trip for it. Returns the jobs of the rows written,
 * to read once the transaction has committed (then send or enqueue them, as for `fanOutBatch`).
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
  opts: { queuedForMs?: number } = {},
): Promise<{ jobs: Promise<DeliveryJob[]> }> {
  const now = new Date();
  const rows = events
    .filter((e) => e.accountPath === recipients.accountPath && e.dataBytes <= SURELY_SMALL_BYTES)
    .flatMap((event) =>
      recipients.endpoints
        .filter((w) => w.event_types.length === 0 || w.event_types.includes(event.type))
        .map((w) => ({ id: newId("dlv"), endpoint_id: w.id, account_id: w.account_id, event_id: event.id, event_type: event.type })),
    );
  if (rows.length === 0) return { jobs: Promise.resolve([]) };
  const column = <K extends keyof (typeof rows)[number]>(key: K) => rows.map((r) => r[key]);
  const { answer } = await sendWithCommit(
    trx,
    sql<{ id: string; endpoint_id: string }>`
      insert into webhook_deliveries (id, endpoint_id, account_id, event_id, event_type, message_id, status, next_attempt_at, queued_until)
      select v.id, v.endpoint_id, v.account_id, v.event_id, v.event_type, v.event_id, 'pending', ${now},
             ${opts.queuedForMs ? new Date(now.getTime() + opts.queuedForMs) : null}::timestamptz
        from unnest(${column("id")}::text[], ${column("endpoint_id")}::text[], ${column("account_id")}::text[],
                    ${column("event_id")}::text[], ${column("event_type")}::text[]) as v(id, endpoint_id, account_id, event_id, event_type)
       where exists (select 1 from webhook_endpoints w where w.id = v.endpoint_id and w.enabled)
      on conflict (endpoint_id, event_id) do nothing
      returning id, endpoint_id`,
  );
  return {
    jobs: answer.then((written) => {
      const fresh = new Set(written.map((r) => r.id));
      return rows.filter((r) => fresh.has(r.id)).map((r) => ({ deliveryId: r.id, endpointId: r.endpoint_id, attempt: 0 }));
    }),
  };
}
