import type { AccountStatus, Database, Db, OrderItemRow, OrderRow, ProductRow, SubscriptionStatus } from "@canopy/db";
import { sql } from "@canopy/db";
import { accountIdsOnPath, subtreeRange } from "@canopy/domain/shared";
import type { UpdateObject } from "kysely";
import type { SubscriptionWithSeats } from "../orders/subscriptions.repository";

export type ItemWithProduct = OrderItemRow & {
  product: Pick<ProductRow, "id" | "mpn" | "connector" | "connector_config" | "billing_period">;
};

export async function findOrderRow(db: Db, id: string): Promise<OrderRow | undefined> {
  return db.selectFrom("orders").selectAll().where("id", "=", id).executeTakeFirst();
}

/** What the worker reports about an order once a run is over: its type, status and reason of failure. */
export async function orderOutcomeOf(db: Db, id: string) {
  return db.selectFrom("orders").select(["type", "status", "error_message as errorMessage"]).where("id", "=", id).executeTakeFirst();
}

export async function itemsWithProducts(db: Db, orderId: string): Promise<ItemWithProduct[]> {
  const rows = await db
    .selectFrom("order_items as i")
    .innerJoin("products as p", "p.id", "i.product_id")
    .selectAll("i")
    .select(["p.connector", "p.connector_config", "p.billing_period"])
    .where("i.order_id", "=", orderId)
    .orderBy("i.position")
    .execute();
  return rows.map(({ connector, connector_config, billing_period, ...item }) => ({
    ...item,
    product: { id: item.product_id, mpn: item.mpn, connector, connector_config, billing_period },
  }));
}

export async function productOf(db: Db, productId: string) {
  return db
    .selectFrom("products")
    .select(["id", "mpn", "connector", "connector_config", "billing_period"])
    .where("id", "=", productId)
    .executeTakeFirstOrThrow();
}

export async function lockSubscription(db: Db, id: string) {
  return db.selectFrom("subscriptions").selectAll().where("id", "=", id).forUpdate().executeTakeFirst();
}

/**
 * Applies the worker's change to a subscription, bumping its version, and returns it with its
 * seat holders in the same statement; with `onlyIf`, only while it is still in that status
 * (undefined otherwise), so the update itself is the check.
 */
export async function changeSubscription(
  db: Db,
  id: string,
  changes: Omit<UpdateObject<Database, "subscriptions">, "id" | "version" | "updated_at">,
  onlyIf?: { status: SubscriptionStatus },
): Promise<SubscriptionWithSeats | undefined> {
  let query = db
    .updateTable("subscriptions")
    .set({ ...changes, updated_at: sql<Date>`now()`, version: sql<number>`version + 1` })
    .where("id", "=", id);
  if (onlyIf) query = query.where("status", "=", onlyIf.status);
  return query
    .returningAll()
    .returning(
      sql<string[]>`array(select ss.user_id from subscription_seats ss
        where ss.subscription_id = subscriptions.id order by ss.assigned_at, ss.user_id)`.as("assigned_user_ids"),
    )
    .executeTakeFirst();
}

/** Statuses of the account and every account above it (the provider's never changes). */
export async function pathStatuses(db: Db, accountPath: string): Promise<AccountStatus[]> {
  const ids = accountPath.split(".").filter(Boolean);
  const rows = await db.selectFrom("accounts").select("status").where("id", "in", ids).execute();
  return rows.map((r) => r.status);
}

/** `pathStatuses` of an order's account, for a caller that has the order's id only. */
export async function pathStatusesOfOrder(db: Db, orderId: string): Promise<AccountStatus[]> {
  const { rows } = await sql<{ status: AccountStatus }>`
    select a.status from orders o
      join accounts a on a.id = any(${accountIdsOnPath(sql.ref("o.account_path"))})
     where o.id = ${orderId}`.execute(db);
  return rows.map((r) => r.status);
}

/** Live (active or suspended) subscriptions of a subtree, by id, one page at a time. */
export async function liveSubscriptionIds(db: Db, subtreeOf: string, afterId: string | null, limit: number): Promise<string[]> {
  const { from, to } = subtreeRange(subtreeOf);
  let query = db
    .selectFrom("subscriptions")
    .select("id")
    .where("account_path", ">=", from)
    .where("account_path", "<", to)
    .where("status", "in", ["active", "suspended"])
    .orderBy("id")
    .limit(limit);
  if (afterId) query = query.where("id", ">", afterId);
  return (await query.execute()).map((r) => r.id);
}

/**
 * Open orders untouched for `olderThanMs` whose `order.created` event was relayed long ago:
 * their job may have been lost with Redis's data. Each comes with that event, so it can be
 * enqueued again under the same jobId (a no-op while the original job still exists).
 * Served by the partial index orders_open and one account's range of events_account_path.
 */
export async function staleOpenOrders(db: Db, olderThanMs: number, limit: number) {
  return db
    .selectFrom("orders as o")
    .innerJoin("events as e", (join) =>
      join
        .onRef("e.account_path", "=", "o.account_path")
        .on("e.type", "=", "order.created")
        .on(sql<string>`e.data->>'id'`, "=", sql.ref("o.id"))
        .on("e.relayed_at", "is not", null),
    )
    .select(["o.id as orderId", "e.id as eventId", "e.account_id as accountId"])
    .where("o.status", "in", ["submitted", "processing"])
    .where("o.updated_at", "<", sql<Date>`now() - make_interval(secs => ${olderThanMs / 1000})`)
    .orderBy("o.id")
    .limit(limit)
    .execute();
}
