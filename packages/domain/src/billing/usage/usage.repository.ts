import type { Db } from "@canopy/db";

/** The product a subscription is of, as far as its connector goes (undefined for an unknown subscription). */
export function productOfSubscription(db: Db, subscriptionId: string) {
  return db
    .selectFrom("subscriptions as s")
    .innerJoin("products as p", "p.id", "s.product_id")
    .select(["p.mpn", "p.connector", "p.connector_config", "p.isv_name"])
    .where("s.id", "=", subscriptionId)
    .executeTakeFirst();
}
