import type { DefaultedTimestamp } from "./core";

/** A subscription suspended by an account hold, to be resumed when the hold is lifted. */
export interface SubscriptionHoldsTable {
  subscription_id: string;
  held_at: DefaultedTimestamp;
}

export interface ProvisioningTables {
  subscription_holds: SubscriptionHoldsTable;
}
