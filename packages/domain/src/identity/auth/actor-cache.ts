import type { Db } from "@canopy/db";
import type { Actor } from "../access/actor";
import { hashSecret } from "../credentials/secrets";
import { resolveCredential } from "./auth.service";

/**
 * The channel the credential triggers notify on (migration 2026-11-27T09-00_credential_changes):
 * a session ended, a key revoked, a user or an account disabled, moved or re-roled.
 */
export const CREDENTIAL_CHANGES_CHANNEL = "canopy_credentials";

/** How long a cached actor may be served without a notification: the safety net. */
export const ACTOR_CACHE_TTL_MS = 5_000;

export interface ActorCacheOptions {
  ttlMs?: number;
  maxEntries?: number;
  now?: () => number;
}

/**
 * Remembers which actor a bearer token stands for, so that a request does not need a query to
 * learn who is calling. Correctness rests on invalidation, with two bounds:
 * - the owner feeds `forgetAll()` from a LISTEN on CREDENTIAL_CHANGES_CHANNEL. The triggers
 *   notify inside the transaction that revokes, logs out or disables, and Postgres delivers at
 *   its commit, so a revoked key stops working once the notification arrives (milliseconds);
 * - the cache serves nothing until `resume()` (the listener is connected) and stops serving at
 *   `suspend()` (connection lost: notifications may be missed until it is back);
 * - every entry lives at most `ttlMs` (5 s), and never beyond a session's own expiry, in case a
 *   notification were lost some other way.
 * A lookup that raced with a change is not stored: a generation counter, bumped by every
 * notification, must be unchanged between the query and the store. Unknown tokens are never
 * cached. Keys are the tokens' SHA-256, never the tokens.
 */
export class ActorCache {
  private readonly entries = new Map<string, { actor: Actor; until: number }>();
  private generation = 0;
  private live = false;
  private readonly ttlMs: number;
  private readonly maxEntries: number;
  private readonly now: () => number;

  constructor(opts: ActorCacheOptions = {}) {
    this.ttlMs = opts.ttlMs ?? ACTOR_CACHE_TTL_MS;
    this.maxEntries = opts.maxEntries ?? 10_000;
    this.now = opts.now ?? Date.now;
  }

  /** The actor for `token`, from memory when a fresh entry exists, else from the database. */
  async authenticate(db: Db, token: string): Promise<Actor | undefined> {
    if (!this.live) return (await resolveCredential(db, token))?.actor;
    const key = hashSecret(token).toString("base64");
    const cached = this.entries.get(key);
    const now = this.now();
    if (cached && cached.until > now) return cached.actor;
    if (cached) this.entries.delete(key);
    const generation = this.generation;
    const resolved = await resolveCredential(db, token);
    if (resolved && this.live && generation === this.generation) {
      const until = Math.min(now + this.ttlMs, resolved.expiresAt?.getTime() ?? Number.POSITIVE_INFINITY);
      if (this.entries.size >= this.maxEntries) this.entries.delete(this.entries.keys().next().value!);
      this.entries.set(key, { actor: resolved.actor, until });
    }
    return resolved?.actor;
  }

  /** Whether lookups are served from memory (the invalidation feed is connected). */
  get serving(): boolean {
    return this.live;
  }

  /** A credential changed somewhere: forget everything (such changes are rare). */
  forgetAll(): void {
    this.generation++;
    this.entries.clear();
  }

  /** The invalidation feed is connected: start serving from memory. */
  resume(): void {
    this.forgetAll();
    this.live = true;
  }

  /** The invalidation feed is down: every lookup goes to the database until `resume()`. */
  suspend(): void {
    this.live = false;
    this.forgetAll();
  }
}
