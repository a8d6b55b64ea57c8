import type { Db } from "@canopy/db";
import { type Actor, type ActorCache, auth } from "@canopy/domain/identity";
import { type WebhookSettings, webhookSettings } from "@canopy/domain/messaging";

export interface ContextInner {
  db: Db;
  actor: Actor | null;
  /** The bearer token (or the panel's session cookie) of the request, for auth.logout. */
  token: string | null;
  /** What the webhook services need from configuration. */
  webhooks: WebhookSettings;
}

/** The context without HTTP: for tests and in-process calls (createCaller). */
export function createContextInner(opts: {
  db: Db;
  actor?: Actor | null;
  token?: string | null;
  webhooks?: WebhookSettings;
}): ContextInner {
  return { db: opts.db, actor: opts.actor ?? null, token: opts.token ?? null, webhooks: opts.webhooks ?? webhookSettings() };
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
export function requestCredential(headers: { authorization?: string; cookie?: string }): { token: string; via: "bearer" | "cookie" } | null {
  if (headers.authorization !== undefined) {
    const token = bearerToken(headers.authorization);
    return token ? { token, via: "bearer" } : null;
  }
  const token = sessionCookie(headers.cookie);
  return token ? { token, via: "cookie" } : null;
}

/** The context of an HTTP request: resolves its credential to an actor (through `actors` when given). */
export async function createContextFromHeaders(
  db: Db,
  headers: { authorization?: string; cookie?: string },
  webhooks?: WebhookSettings,
  actors?: ActorCache,
): Promise<ContextInner> {
  const token = requestCredential(headers)?.token ?? null;
  const actor = token ? ((await (actors ? actors.authenticate(db, token) : auth.authenticate(db, token))) ?? null) : null;
  return createContextInner({ db, actor, token, webhooks });
}

/** The context of a request that authenticates with a Bearer header only (API clients). */
export function createContextFromHeader(
  db: Db,
  authorization: string | undefined,
  webhooks?: WebhookSettings,
  actors?: ActorCache,
): Promise<ContextInner> {
  return createContextFromHeaders(db, { authorization }, webhooks, actors);
}

export type Context = ContextInner;
