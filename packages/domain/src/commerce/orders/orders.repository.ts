import type { Db, NewOrderItemRow, NewOrderRow, OrderItemRow, OrderRow, OrderStatus, OrderType } from "@canopy/db";
import { sendAhead, sql } from "@canopy/db";
import { accountIdsOnPath, iso, type NewEvent, newEventRows, subtreeRange } from "@canopy/domain/shared";
import { jsonArrayFrom } from "kysely/helpers/postgres";
import type { Order, OrderItem } from "./orders.schema";
import type { SubscriptionWithSeats } from "./subscriptions.repository";

export type OrderWithItems = OrderRow & { items: OrderItemRow[] };

export function toOrderItem(row: OrderItemRow, currency: string): OrderItem {
  return {
    id: row.id,
    mpn: row.mpn,
    productId: row.product_id,
    quantity: row.quantity,
    unitPrice: { amount: Number(row.unit_price), currency },
    total: { amount: Number(row.total), currency },
    subscriptionId: row.subscription_id,
  };
}

export function toOrder(row: OrderWithItems): Order {
  return {
    id: row.id,
    accountId: row.account_id,
    type: row.type,
    status: row.status,
    items: [...row.items].sort((a, b) => a.position - b.position).map((i) => toOrderItem(i, row.currency)),
    total: { amount: row.total_amount, currency: row.currency },
    idempotencyKey: row.idempotency_key,
    placedBy: row.placed_by,
    errorMessage: row.error_message,
    subscriptionId: row.subscription_id,
    createdAt: iso(row.created_at),
    updatedAt: iso(row.updated_at),
    version: row.version,
  };
}

/** Orders with their items in one query (items as a JSON array per row). */
export function selectOrders(db: Db) {
  return db
    .selectFrom("orders")
    .selectAll("orders")
    .select((eb) =>
      jsonArrayFrom(
        eb
          .selectFrom("order_items")
          .selectAll("order_items")
          .whereRef("order_items.order_id", "=", "orders.id")
          .orderBy("order_items.position"),
      ).as("items"),
    );
}

export async function findOrder(db: Db, id: string): Promise<OrderWithItems | undefined> {
  return selectOrders(db).where("orders.id", "=", id).executeTakeFirst();
}

export async function findOrderByKey(db: Db, accountId: string, key: string): Promise<OrderWithItems | undefined> {
  return selectOrders(db).where("orders.account_id", "=", accountId).where("orders.idempotency_key", "=", key).executeTakeFirst();
}

/**
 * The account and every account above it, in one query, share-locked: a concurrent
 * accounts.setStatus on any of them waits for this placement to commit (and the other way
 * round), so a hold never lets an order slip in behind it. The provider row is left out unless
 * it is the account asked for: its status never changes, and every placement on the platform
 * would contend on it.
 */
export async function loadAccountChain(db: Db, accountId: string, opts: { lock: boolean }) {
  let q = db
    .selectFrom("accounts")
    .selectAll()
    .where(sql<boolean>`id = any(select unnest(${accountIdsOnPath(sql.ref("t.path"))}) from accounts t where t.id = ${accountId})`)
    .where((eb) => eb.or([eb("type", "<>", "provider"), eb("id", "=", accountId)]));
  if (opts.lock) q = q.forShare();
  return q.execute();
}

/**
 * Inserts the order unless its idempotency key is already taken (then undefined). A concurrent
 * duplicate waits here for the first transaction to commit and then sees the conflict.
 */
export async function insertOrderOnce(db: Db, row: NewOrderRow): Promise<OrderRow | undefined> {
  return db
    .insertInto("orders")
    .values(row)
    .onConflict((oc) => oc.columns(["account_id", "idempotency_key"]).where("idempotency_key", "is not", null).doNothing())
    .returningAll()
    .executeTakeFirst();
}

/**
 * What an order adds besides its own row — the subscriptions a sales order creates, its items,
 * its events — in one statement (data-modifying CTEs; foreign keys are checked at its end): one
 * round trip instead of three on the placement path, and that one goes out with the COMMIT.
 * Nothing is read back: the caller gives every column. `now()` is the transaction's time, the
 * order's `created_at`, which the caller put in the subscriptions' timestamps.
 */
export async function insertOrderLines(
  db: Db,
  subscriptions: SubscriptionWithSeats[],
  items: NewOrderItemRow[],
  events: NewEvent[],
): Promise<void> {
  const withItems = db.with("new_items", (qb) => qb.insertInto("order_items").values(items));
  const eventRows = newEventRows(events);
  // The order's last write: nothing waits for its answer, so it goes out with the COMMIT.
  if (subscriptions.length === 0) {
    await sendAhead(db, withItems.insertInto("events").values(eventRows));
    return;
  }
  const subscriptionRows = subscriptions.map(({ assigned_user_ids: _, ...row }) => ({
    ...row,
    created_at: sql<Date>`now()`,
    updated_at: sql<Date>`now()`,
  }));
  await sendAhead(
    db,
    withItems
      .with("new_subscriptions", (qb) => qb.insertInto("subscriptions").values(subscriptionRows))
      .insertInto("events")
      .values(eventRows),
  );
}

/** Moves an order from `from` to `to` only if it is still in `from`; undefined when it was not. */
export async function moveOrder(db: Db, id: string, from: OrderStatus, to: OrderStatus, changes: { error_message?: string | null } = {}) {
  return db
    .updateTable("orders")
    .set({ ...changes, status: to, updated_at: sql<Date>`now()`, version: sql<number>`version + 1` })
    .where("id", "=", id)
    .where("status", "=", from)
    .returningAll()
    .executeTakeFirst();
}

export interface OrderQuery {
  subtreeOf: string;
  /** Only the orders of the account with this path (its own, not its subtree's). */
  accountPath?: string;
  status?: OrderStatus;
  type?: OrderType;
  since?: string;
  until?: string;
  beforeId?: string;
  limit: number;
}

/** Newest first. */
export async function listOrders(db: Db, q: OrderQuery) {
  let query = selectOrders(db)
    .orderBy("orders.id", "desc")
    .limit(q.limit + 1);
  if (q.accountPath) {
    // One account's orders are one (account_path, id) index range, already in id order.
    query = query.where("orders.account_path", "=", q.accountPath);
  } else {
    const { from, to } = subtreeRange(q.subtreeOf);
    query = query.where("orders.account_path", ">=", from).where("orders.account_path", "<", to);
  }
  if (q.status) query = query.where("orders.status", "=", q.status);
  if (q.type) query = query.where("orders.type", "=", q.type);
  if (q.since) query = query.where("orders.created_at", ">=", new Date(q.since));
  if (q.until) query = query.where("orders.created_at", "<", new Date(q.until));
  if (q.beforeId) query = query.where("orders.id", "<", q.beforeId);
  return query.execute();
}
