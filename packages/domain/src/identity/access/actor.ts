import type { AccountType, UserRole } from "@canopy/db";
import type { EventOrigin } from "@canopy/domain/shared";

/**
 * Who is calling: a user, or an API key acting with admin rights on its account
 * (docs/permissions.md); or the platform itself acting as the provider (renewals, the demo
 * catalog), which no request can authenticate as.
 */
export interface Actor {
  kind: "user" | "apiKey" | "system";
  /** The user id or the API key id (`system:<part>` for the platform): recorded as `placedBy` and the like. */
  id: string;
  accountId: string;
  accountPath: string;
  accountType: AccountType;
  role: UserRole;
  /**
   * An ISV's API key (kind `isv`): it may report usage and nothing else, so it acts with the
   * `service` role (no reach) whatever account holds it.
   */
  isv?: boolean;
  /** The ISV an `isv` key reports for (products' `isvName`): usage of other products is out of its reach. */
  isvName?: string | null;
  /** The X-Request-Id of the request this actor is calling in: recorded on the events it causes. */
  requestId?: string | null;
}

/** Where the actor's changes come from, for the events they write (docs/events.md#who-did-it). */
export function eventOrigin(actor: Actor): EventOrigin {
  const type = actor.kind === "user" ? "user" : actor.kind === "apiKey" ? "api_key" : "system";
  return { actor: { type, id: actor.id }, requestId: actor.requestId ?? null };
}
