import { sql } from "@canopy/db";
import { rateCompletedOrder } from "@canopy/domain/billing";
import type { Api } from "./harness";

export type Client = Api["provider"];
export interface Node {
  id: string;
  client: Client;
}

/**
 * provider → (depth − 1) resellers → a customer: the accounts from the top (index 0, the
 * provider) down, each with a client. Tier k of a charge is nodes[depth − k] buying from nodes[depth − k − 1].
 */
export async function buildChain(api: Api, depth: number): Promise<Node[]> {
  const nodes: Node[] = [{ id: api.providerId, client: api.provider }];
  for (let i = 1; i <= depth; i++) {
    const made = await api.account(i === depth ? "customer" : "reseller", { vendorId: nodes[i - 1]!.id });
    nodes.push({ id: made.account.id, client: made.client });
  }
  return nodes;
}

/**
 * The worker stands in here: the order completes at `at` (its provisioning would set these
 * columns), then the billing-rating step runs as the worker would on `order.completed`.
 */
export async function completeSales(api: Api, orderId: string, at: Date) {
  await sql`update orders set status = 'completed', updated_at = ${at} where id = ${orderId}`.execute(api.db);
  await sql`update subscriptions set status = 'active', started_at = ${at}, renews_at = ${at}::timestamptz + interval '1 month'
    where id in (select subscription_id from order_items where order_id = ${orderId})`.execute(api.db);
  return rateCompletedOrder(api.db, orderId);
}

export async function completeChange(api: Api, orderId: string, at: Date) {
  await sql`update orders set status = 'completed', updated_at = ${at} where id = ${orderId}`.execute(api.db);
  await sql`update subscriptions s set quantity = i.quantity from order_items i where i.order_id = ${orderId} and s.id = i.subscription_id`.execute(
    api.db,
  );
  return rateCompletedOrder(api.db, orderId);
}

/** Every rated line of a subscription, straight from the table (the test's own view). */
export async function linesOf(api: Api, subscriptionId: string) {
  return api.db
    .selectFrom("rated_lines as l")
    .innerJoin("charges as c", "c.id", "l.charge_id")
    .selectAll("l")
    .select(["c.kind as charge_kind", "c.days_billed", "c.days_in_period", "c.quantity as charge_quantity"])
    .where("l.subscription_id", "=", subscriptionId)
    .orderBy("c.occurred_at")
    .orderBy("l.tier")
    .execute();
}
