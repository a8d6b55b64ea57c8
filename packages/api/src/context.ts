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
}): ContextInner {
  return {
    db: opts.db,
    actor: opts.actor ?? null,
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

/**
 * The context of an HTTP request: resolves its credential to an actor (through `actors` when
 * given). That reads the database, so while it is unreachable the caller is told to retry
 * (SERVICE_UNAVAILABLE) rather than given an internal error.
 */
export async function createContextFromHeaders(
  db: Db,
  request: { authorization?: string; cookie?: string; clientAddress: string },
  webhooks?: WebhookSettings,
  actors?: ActorCache,
  connectors?: ConnectorSettings,
  eventWakeups?: EventWakeups,
): Promise<ContextInner> {
  const token = requestCredential(request)?.token ?? null;
  let actor: Actor | null = null;
  try {
    if (token) actor = (await (actors ? actors.authenticate(db, token) : auth.authenticate(db, token))) ?? null;
  } catch (cause) {
    const known = fromDatabaseError(cause);
    throw known ? new TRPCError({ code: known.code, message: known.message, cause }) : cause;
  }
  return createContextInner({ db, actor, token, webhooks, clientAddress: request.clientAddress, connectors, eventWakeups });
}

/** The context of a request that authenticates with a Bearer header only (API clients). */
export function createContextFromHeader(
  db: Db,
  request: { authorization: string | undefined; clientAddress: string },
  webhooks?: WebhookSettings,
  actors?: ActorCache,
  connectors?: ConnectorSettings,
  eventWakeups?: EventWakeups,
): Promise<ContextInner> {
  return createContextFromHeaders(
    db,
    { authorization: request.authorization, clientAddress: request.clientAddress },
    webhooks,
    actors,
    connectors,
    eventWakeups,
  );
}

export type Context = ContextInner;
