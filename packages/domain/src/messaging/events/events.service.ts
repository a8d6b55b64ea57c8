import type { Db } from "@canopy/db";
import type { Actor } from "@canopy/domain/identity";
import { findAccountInScope, readScope } from "@canopy/domain/identity";
import type { CanopyEvent, EventType } from "@canopy/domain/shared";
import { decodeCursor, notFound, type Page, pageOf, toEvent } from "@canopy/domain/shared";
import { findEvent, listEvents as queryEvents } from "./events.repository";
import type { EventsListInput } from "./events.schema";

export async function getEvent(db: Db, actor: Actor, id: string): Promise<CanopyEvent> {
  const scope = readScope(actor);
  const row = scope ? await findEvent(db, id, scope) : undefined;
  if (!row) throw notFound("event");
  return toEvent(row);
}

/** `type` and `types` together: the types in both; neither: every type (undefined). */
function requestedTypes(input: EventsListInput): EventType[] | undefined {
  const many = input.types && input.types.length > 0 ? input.types : undefined;
  if (!input.type) return many;
  return many ? many.filter((t) => t === input.type) : [input.type];
}

export async function listEvents(db: Db, actor: Actor, input: EventsListInput): Promise<Page<CanopyEvent>> {
  const scope = readScope(actor);
  if (!scope) return { items: [], nextCursor: null };
  let accountPath: string | undefined;
  if (input.accountId) {
    const account = await findAccountInScope(db, input.accountId, scope);
    if (!account) throw notFound("account");
    accountPath = account.path;
  }
  const rows = await queryEvents(db, {
    scopePath: scope,
    accountPath,
    types: requestedTypes(input),
    actorType: input.actorType,
    actorId: input.actorId,
    since: input.since,
    until: input.until,
    before: decodeCursor(input.cursor),
    limit: input.limit,
  });
  return pageOf(rows, input.limit, (r) => r.id, toEvent);
}
