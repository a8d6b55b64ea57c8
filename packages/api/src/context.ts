import type { Db } from "@canopy/db";
import { type ConnectorSettings, defaultConnectorSettings } from "@canopy/domain/catalog";
import { type Actor, type ActorCache, auth } from "@canopy/domain/identity";
import { type EventWakeups, type WebhookSettings, webhookSettings } from "@canopy/domain/messaging";
import { fromDatabaseError } from "@canopy/domain/shared";
import { TRPCError } from "@trpc/server";

export interface ContextInner {
  db: Db;
  actor: Actor | null;
  /** The bearer token (or the panel's session cookie) of the request, for auth.logout. */
  token: string | null;
  /** What the webhook services need from configuration. */
  webhooks: WebhookSettings;
  /** Where the request came from (Fastify's request.ip: behind a trusted proxy, the forwarded address). */
  clientAddress: string;
  /** The connectors the platform runs and the http secret refs it has, to refuse products that could never work. */
  connectors: ConnectorSettings;
  /** Wakes event streams at commits (one LISTEN per process); streams poll without it. */
  eventWakeups?: EventWakeups;
  /** The request's id (X-Request-Id), also on `actor` so that the events it causes record it. */
  requestId: string | null;
}

/** The context without HTTP: for tests and in-process calls (createCaller). */
export function createContextInner(opts: {
  db: Db;
  actor?: Actor | null;
  token?: string | null;
  webhooks?: WebhookSettings;
  clientAddress?: string;
  connectors?: ConnectorSettings;
  eventWakeups?: EventWakeups;
  requestId?: string | null;
}): ContextInner {
  const requestId = opts.requestId ?? null;
  // A copy: the actor cache hands every request the same object, and this one is the request's own.
  const actor = opts.actor ? { ...opts.actor, requestId } : null;
  return {
    db: opts.db,
    actor,
    requestId,
    token: opts.token ?? null,
    webhooks: opts.webhooks ?? webhookSettings(),
    clientAddress: opts.clientAddress ?? "in-process",
    connectors: opts.connectors ?? defaultConnectorSettings,
    eventWakeups: opts.eventWakeups,
  };
}

export function bearerToken(header: string | undefined): string | null {
  if (!header) return null;
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
  return match?.[1] ?? null;
}

/** The cookie that carries the user panel's session token (httpOnly, set by the host's /session). */
export const SESSION_COOKIE = "canopy_session";

/** The session token of a Cookie header, or null. */
export function sessionCookie(header: string | undefined): string | null {
  if (!header) return null;
  for (const part of header.split(";")) {
    const at = part.indexOf("=");
    if (at > 0 && part.slice(0, at).trim() === SESSION_COOKIE) {
      const value = part.slice(at + 1).trim();
      return value.length > 0 ? value : null;
    }
  }
  return null;
}

/**
 * The credential a request authenticates with. A Bearer header wins and the cookie is then
 * ignored entirely: a request naming its own credential never borrows the browser's session.
 */
export function requestCredential(headers: {
  authorization?: string;
  cookie?: string;
}): { token: string; via: "bearer" | "cookie" } | null {
  if (headers.authorization !== undefined) {
    const token = bearerToken(headers.authorization);
    return token ? { token, via: "bearer" } : null;
  }
  const token = sessionCookie(headers.cookie);
  return token ? { token, via: "cookie" } : null;
}

/** What an HTTP request's context is made of: its credential headers, where it came from, its id. */
export interface RequestContextOptions {
  db: Db;
  /** The credential headers: a Bearer `authorization` wins over the panel's session `cookie`. */
  headers: { authorization?: string; cookie?: string };
  clientAddress: string;
  /** The request's id (the host's X-Request-Id): recorded on every event the request causes. */
  requestId?: string | null;
  webhooks?: WebhookSettings;
  /** Resolves credentials from memory; every request queries Postgres when absent. */
  actors?: ActorCache;
  connectors?: ConnectorSettings;
  eventWakeups?: EventWakeups;
}

/**
 * The context of an HTTP request: resolves its credential to an actor (through `actors` when
 * given). That reads the database, so while it is unreachable the caller is told to retry
 * (SERVICE_UNAVAILABLE) rather than given an internal error.
 */
export async function createContextFromHeaders(opts: RequestContextOptions): Promise<ContextInner> {
  const { db, actors } = opts;
  const token = requestCredential(opts.headers)?.token ?? null;
  let actor: Actor | null = null;
  try {
    if (token) actor = (await (actors ? actors.authenticate(db, token) : auth.authenticate(db, token))) ?? null;
  } catch (cause) {
    const known = fromDatabaseError(cause);
    throw known ? new TRPCError({ code: known.code, message: known.message, cause }) : cause;
  }
  return createContextInner({ ...opts, actor, token });
}

export type Context = ContextInner;
