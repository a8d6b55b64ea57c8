import type { Db, EventRow } from "@canopy/db";
import type { CanopyEvent, EventType } from "./events.schema";
import { newId } from "./ids";
import { iso } from "./time";

export interface NewEvent {
  type: EventType;
  account: { id: string; path: string };
  data: unknown;
}

/** The rows of new events, for a caller that writes them in a statement of its own (see insertEvents). */
export function newEventRows(events: NewEvent[]) {
  return events.map((e) => ({
    id: newId("evt"),
    type: e.type,
    account_id: e.account.id,
    account_path: e.account.path,
    data: JSON.stringify(e.data),
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

export function toEvent(row: EventRow): CanopyEvent {
  return {
    id: row.id,
    type: row.type as EventType,
    accountId: row.account_id,
    occurredAt: iso(row.occurred_at),
    data: row.data,
  };
}
