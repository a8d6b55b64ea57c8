import { type Db, type EventActorType, type EventRow, sendAhead } from "@canopy/db";
import type { CanopyEvent, EventType } from "./events.schema";
import { newId } from "./ids";
import { iso } from "./time";

/**
 * Who caused an event, as a plain value: the shared kernel knows no callers, so each context turns
 * its own idea of one (identity's Actor, a worker's job) into this (docs/events.md#who-did-it).
 */
export interface EventActor {
  type: EventActorType;
  /** The user id or API key id; for the system, which part of it (`system:provisioning`, …). */
  id: string | null;
}

/** Where a change came from: its actor and the API request (X-Request-Id) it was made in. */
export interface EventOrigin {
  actor: EventActor;
  requestId: string | null;
}

/** The platform's own work (worker, renewal, connectors, bootstrap): no user, no request. */
export function systemOrigin(part: string): EventOrigin {
  return { actor: { type: "system", id: `system:${part}` }, requestId: null };
}

export interface NewEvent {
  type: EventType;
  account: { id: string; path: string };
  data: unknown;
  origin: EventOrigin;
}

/** The rows of new events, for a caller that writes them in a statement of its own (see insertEvents). */
export function newEventRows(events: NewEvent[]) {
  return events.map((e) => ({
    id: newId("evt"),
    type: e.type,
    account_id: e.account.id,
    account_path: e.account.path,
    data: JSON.stringify(e.data),
    actor_type: e.origin.actor.type,
    actor_id: e.origin.actor.id,
    request_id: e.origin.requestId,
  }));
}

/** Writes event rows; call it with the transaction that makes the change (docs/events.md). */
export async function insertEvents(db: Db, events: NewEvent[]): Promise<CanopyEvent[]> {
  if (events.length === 0) return [];
  const rows = await db.insertInto("events").values(newEventRows(events)).returningAll().execute();
  return rows.map(toEvent);
}

export async function insertEvent(db: Db, event: NewEvent): Promise<CanopyEvent> {
  const [row] = await insertEvents(db, [event]);
  return row!;
}

/** An event a transaction is writing, as whoever fans it out in that transaction needs it. */
export interface WrittenEvent {
  id: string;
  type: EventType;
  accountPath: string;
  /** The size of its data as JSON. */
  dataBytes: number;
}

/**
 * `insertEvent` for one of a transaction's last writes: its row goes out with the COMMIT
 * instead of costing a round trip of its own (see `sendAhead`), so nothing later in the
 * transaction may need its answer. Its `occurred_at` is Postgres's, as for any event.
 */
export async function sendEventWithCommit(trx: Db, event: NewEvent): Promise<WrittenEvent> {
  const [row] = newEventRows([event]);
  await sendAhead(trx, trx.insertInto("events").values(row!));
  return { id: row!.id, type: event.type, accountPath: event.account.path, dataBytes: Buffer.byteLength(row!.data) };
}

export function toEvent(row: EventRow): CanopyEvent {
  return {
    id: row.id,
    type: row.type as EventType,
    accountId: row.account_id,
    occurredAt: iso(row.occurred_at),
    actor: { type: row.actor_type, id: row.actor_id },
    requestId: row.request_id,
    data: row.data,
  };
}
