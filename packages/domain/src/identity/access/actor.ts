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
}
