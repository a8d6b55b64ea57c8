import type { AccountType, UserRole } from "@canopy/db";

/** Who is calling: a user, or an API key acting with admin rights on its account (docs/permissions.md). */
export interface Actor {
  kind: "user" | "apiKey";
  /** The user id or the API key id: recorded as `placedBy` and the like. */
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
}
