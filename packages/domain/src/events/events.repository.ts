import type { Database, EventRow, Kysely } from "@canopy/db";
import { newId } from "../shared/ids";
import { subtreeRange } from "../shared/subtree";
import { iso } from "../shared/time";
import type { CanopyEvent, EventType } from "./events.schema";

type Db = Kysely<Database>;

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

/** Writes event rows; call it with the transaction that makes the change (spec §8). */
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

export async function findEvent(db: Db, id: string, scopePath: string) {
  const { from, to } = subtreeRange(scopePath);
  return db
    .selectFrom("events")
    .selectAll()
    .where("id", "=", id)
    .where("account_path", ">=", from)
    .where("account_path", "<", to)
    .executeTakeFirst();
}

export interface EventQuery {
  scopePath: string;
  type?: EventType;
  accountPath?: string;
  since?: string;
  until?: string;
  before?: string;
  limit: number;
}

/** Newest first. */
export async function listEvents(db: Db, q: EventQuery) {
  const { from, to } = subtreeRange(q.accountPath ?? q.scopePath);
  let query = db
    .selectFrom("events")
    .selectAll()
    .where("account_path", ">=", from)
    .where("account_path", "<", to)
    .orderBy("id", "desc")
    .limit(q.limit + 1);
  if (q.type) query = query.where("type", "=", q.type);
  if (q.since) query = query.where("occurred_at", ">=", new Date(q.since));
  if (q.until) query = query.where("occurred_at", "<", new Date(q.until));
  if (q.before) query = query.where("id", "<", q.before);
  return query.execute();
}
