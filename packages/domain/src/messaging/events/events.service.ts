import type { Db } from "@canopy/db";
import type { Actor } from "@canopy/domain/identity";
import { findAccountInScope, readScope } from "@canopy/domain/identity";
import type { CanopyEvent } from "@canopy/domain/shared";
import { decodeCursor, notFound, type Page, pageOf, toEvent } from "@canopy/domain/shared";
import { findEvent, listEvents as queryEvents } from "./events.repository";
import type { EventsListInput } from "./events.schema";

export async function getEvent(db: Db, actor: Actor, id: string): Promise<CanopyEvent> {
  const scope = readScope(actor);
  const row = scope ? await findEvent(db, id, scope) : undefined;
  if (!row) throw notFound("event");
  return toEvent(row);
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
    type: input.type,
    since: input.since,
    until: input.until,
    before: decodeCursor(input.cursor),
    limit: input.limit,
  });
  return pageOf(rows, input.limit, (r) => r.id, toEvent);
}
