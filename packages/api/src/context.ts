import type { Db } from "@canopy/db";
import { type Actor, type ActorCache, auth } from "@canopy/domain/identity";
import { type EventWakeups, type WebhookSettings, webhookSettings } from "@canopy/domain/messaging";

export interface ContextInner {
  db: Db;
  actor: Actor | null;
  /** The bearer token of the request, for auth.logout. */
  token: string | null;
  /** What the webhook services need from configuration. */
  webhooks: WebhookSettings;
  /** Wakes event streams at commits (one LISTEN per process); streams poll without it. */
  eventWakeups?: EventWakeups;
}

/** The context without HTTP: for tests and in-process calls (createCaller). */
export function createContextInner(opts: {
  db: Db;
  actor?: Actor | null;
  token?: string | null;
  webhooks?: WebhookSettings;
  eventWakeups?: EventWakeups;
}): ContextInner {
  return {
    db: opts.db,
    actor: opts.actor ?? null,
    token: opts.token ?? null,
    webhooks: opts.webhooks ?? webhookSettings(),
    eventWakeups: opts.eventWakeups,
  };
}

export function bearerToken(header: string | undefined): string | null {
  if (!header) return null;
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
  return match?.[1] ?? null;
}

/** The context of an HTTP request: resolves the bearer token to an actor (through `actors` when given). */
export async function createContextFromHeader(
  db: Db,
  authorization: string | undefined,
  webhooks?: WebhookSettings,
  actors?: ActorCache,
  eventWakeups?: EventWakeups,
): Promise<ContextInner> {
  const token = bearerToken(authorization);
  const actor = token ? ((await (actors ? actors.authenticate(db, token) : auth.authenticate(db, token))) ?? null) : null;
  return createContextInner({ db, actor, token, webhooks, eventWakeups });
}

export type Context = ContextInner;
