import type { EventActorType } from "@canopy/db";
import { type Db, sql } from "@canopy/db";
import { type EventType, subtreeRange } from "@canopy/domain/shared";

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
  /** Every type when absent; an empty list matches nothing. */
  types?: readonly EventType[];
  actorType?: EventActorType;
  actorId?: string;
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
  if (q.types) query = q.types.length === 0 ? query.where(sql<boolean>`false`) : query.where("type", "in", q.types);
  if (q.actorType) query = query.where("actor_type", "=", q.actorType);
  if (q.actorId) query = query.where("actor_id", "=", q.actorId);
  if (q.since) query = query.where("occurred_at", ">=", new Date(q.since));
  if (q.until) query = query.where("occurred_at", "<", new Date(q.until));
  if (q.before) query = query.where("id", "<", q.before);
  return query.execute();
}

export interface EventsAfterQuery {
  scopePath: string;
  /** Exclusive lower bound on the id; absent: from the first event. */
  after?: string;
  types?: readonly EventType[];
  limit: number;
}

/** Oldest first: the stream's read. */
export async function listEventsAfter(db: Db, q: EventsAfterQuery) {
  const { from, to } = subtreeRange(q.scopePath);
  let query = db
    .selectFrom("events")
    .selectAll()
    .where("account_path", ">=", from)
    .where("account_path", "<", to)
    .orderBy("id", "asc")
    .limit(q.limit);
  if (q.after) query = query.where("id", ">", q.after);
  if (q.types && q.types.length > 0) query = query.where("type", "in", q.types);
  return query.execute();
}
