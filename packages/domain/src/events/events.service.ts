import type { Database, Kysely } from "@canopy/db";
import type { Actor } from "../auth/actor";
import { readScope } from "../auth/permissions";
import { findAccountInScope } from "../accounts/accounts.repository";
import { notFound } from "../shared/errors";
import { decodeCursor, type Page, pageOf } from "../shared/pagination";
import { findEvent, listEvents as queryEvents, toEvent } from "./events.repository";
import type { CanopyEvent, EventsListInput } from "./events.schema";

type Db = Kysely<Database>;

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
