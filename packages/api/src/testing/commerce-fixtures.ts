import { sql } from "@canopy/db";
import type { Api } from "./harness";

type ProductInput = Parameters<Api["provider"]["products"]["create"]["mutate"]>[0];

/** A product created and published by the provider (MSRP 10.00 USD a month unless overridden). */
export async function publishedProduct(api: Api, overrides: Partial<ProductInput> = {}) {
  const created = await api.provider.products.create.mutate({
    mpn: `MPN-${api.unique()}`.toUpperCase(),
    name: "Office Suite",
    isvName: "Acme Software",
    connector: "demo",
    unit: "license",
    billingPeriod: "month",
    minQuantity: 1,
    maxQuantity: 100,
    msrp: { amount: 1000, currency: "USD" },
    ...overrides,
  });
  return api.provider.products.publish.mutate({ id: created.id });
}

/**
 * Stands in for the worker, which is not running in these tests: provisions a sales
 * order's subscriptions the way it would, so that change/cancel/seat rules can be exercised.
 */
export async function provision(api: Api, orderId: string) {
  await sql`update orders set status = 'completed', updated_at = now(), version = version + 1 where id = ${orderId}`.execute(api.db);
  await sql`update subscriptions set status = 'active', started_at = now(), version = version + 1
    where id in (select subscription_id from order_items where order_id = ${orderId})`.execute(api.db);
}
