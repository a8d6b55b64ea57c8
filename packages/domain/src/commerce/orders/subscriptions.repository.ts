import type { Db, SubscriptionAction, SubscriptionRow, SubscriptionStatus } from "@canopy/db";
import { sql } from "@canopy/db";
import { iso, subtreeRange } from "@canopy/domain/shared";
import { OPEN_ORDER_STATUSES } from "./orders.states";
import type { Subscription } from "./subscriptions.schema";

export type SubscriptionWithSeats = SubscriptionRow & { assigned_user_ids: string[] };

export function toSubscription(row: SubscriptionWithSeats): Subscription {
  return {
    id: row.id,
    accountId: row.account_id,
    productId: row.product_id,
    mpn: row.mpn,
    quantity: row.quantity,
    status: row.status,
    pendingAction: row.pending_action,
    serviceRef: row.service_ref,
    assignedUserIds: row.assigned_user_ids,
    startedAt: row.started_at ? iso(row.started_at) : null,
    renewsAt: row.renews_at ? iso(row.renews_at) : null,
    autoRenew: row.auto_renew,
    createdAt: iso(row.created_at),
    updatedAt: iso(row.updated_at),
    version: row.version,
  };
}

/** The seat holders of each row, read in the same query (no N+1). */
const assignedUserIds = sql<string[]>`array(select ss.user_id from subscription_seats ss
  where ss.subscription_id = subscriptions.id order by ss.assigned_at, ss.user_id)`.as("assigned_user_ids");

export function selectSubscriptions(db: Db) {
  return db.selectFrom("subscriptions").selectAll("subscriptions").select(assignedUserIds);
}

export async function findSubscription(db: Db, id: string): Promise<SubscriptionWithSeats | undefined> {
  return selectSubscriptions(db).where("subscriptions.id", "=", id).executeTakeFirst();
}

/**
 * Locks the subscription rows first, in a statement of their own: a check that reads other rows
 * (seats, open orders) must run in a later statement to see what committed while we waited.
 */
export async function lockSubscriptions(db: Db, ids: string[]) {
  if (ids.length === 0) return [];
  return db.selectFrom("subscriptions").select("id").where("id", "in", ids).orderBy("id").forUpdate().execute();
}

export async function hasSeat(db: Db, subscriptionId: string, userId: string): Promise<boolean> {
  const row = await db
    .selectFrom("subscription_seats")
    .select("user_id")
    .where("subscription_id", "=", subscriptionId)
    .where("user_id", "=", userId)
    .executeTakeFirst();
  return row !== undefined;
}

/** Seats taken, and the quantity an open change order will set (the seat limit must respect both). */
export async function seatUsage(db: Db, subscriptionId: string) {
  return db
    .selectNoFrom((eb) => [
      eb
        .selectFrom("subscription_seats")
        .select((e) => e.fn.countAll<number>().as("n"))
        .where("subscription_id", "=", subscriptionId)
        .as("taken"),
      eb
        .selectFrom("orders as o")
        .innerJoin("order_items as i", "i.order_id", "o.id")
        .select("i.quantity")
        .where("o.subscription_id", "=", subscriptionId)
        .where("o.type", "=", "change")
        .where("o.status", "in", OPEN_ORDER_STATUSES)
        .limit(1)
        .as("pending_quantity"),
    ])
    .executeTakeFirstOrThrow();
}

/** Bumps version and updated_at with the change; returns the row with its seats. */
export async function updateSubscription(
  db: Db,
  id: string,
  changes: { pending_action?: SubscriptionAction | null; status?: SubscriptionStatus; auto_renew?: boolean },
): Promise<SubscriptionWithSeats> {
  return db
    .updateTable("subscriptions")
    .set({ ...changes, updated_at: sql<Date>`now()`, version: sql<number>`version + 1` })
    .where("id", "=", id)
    .returningAll()
    .returning(assignedUserIds)
    .executeTakeFirstOrThrow();
}

/** Ends the subscriptions of a sales order cancelled before the worker took it. */
export async function terminatePendingSubscriptions(db: Db, ids: string[]): Promise<SubscriptionWithSeats[]> {
  if (ids.length === 0) return [];
  return db
    .updateTable("subscriptions")
    .set({ status: "terminated", updated_at: sql<Date>`now()`, version: sql<number>`version + 1` })
    .where("id", "in", ids)
    .where("status", "=", "pending")
    .returningAll()
    .returning(assignedUserIds)
    .execute();
}

/**
 * A retried sales order's subscriptions that its failure terminated before they were ever
 * provisioned (no `startedAt`) become `pending` again; provisioned ones are left as they are.
 */
export async function reopenUnprovisionedSubscriptions(db: Db, ids: string[]): Promise<SubscriptionWithSeats[]> {
  if (ids.length === 0) return [];
  return db
    .updateTable("subscriptions")
    .set({ status: "pending", updated_at: sql<Date>`now()`, version: sql<number>`version + 1` })
    .where("id", "in", ids)
    .where("status", "=", "terminated")
    .where("started_at", "is", null)
    .returningAll()
    .returning(assignedUserIds)
    .execute();
}

export async function insertSeat(db: Db, subscriptionId: string, userId: string) {
  await db
    .insertInto("subscription_seats")
    .values({ subscription_id: subscriptionId, user_id: userId })
    .onConflict((oc) => oc.doNothing())
    .execute();
}

export async function deleteSeat(db: Db, subscriptionId: string, userId: string): Promise<boolean> {
  const row = await db
    .deleteFrom("subscription_seats")
    .where("subscription_id", "=", subscriptionId)
    .where("user_id", "=", userId)
    .returning("user_id")
    .executeTakeFirst();
  return row !== undefined;
}

export interface SubscriptionQuery {
  /** Admins: the subtree they read. */
  subtreeOf?: string;
  /** Service users: only the subscriptions they hold a seat on. */
  seatHolder?: string;
  /** Only the subscriptions of the account with this path (its own, not its subtree's). */
  accountPath?: string;
  status?: SubscriptionStatus;
  mpn?: string;
  productId?: string;
  beforeId?: string;
  limit: number;
}

/** Newest first. */
export async function listSubscriptions(db: Db, q: SubscriptionQuery) {
  let query = selectSubscriptions(db)
    .orderBy("subscriptions.id", "desc")
    .limit(q.limit + 1);
  if (q.accountPath) {
    query = query.where("subscriptions.account_path", "=", q.accountPath);
  } else if (q.subtreeOf) {
    const { from, to } = subtreeRange(q.subtreeOf);
    query = query.where("subscriptions.account_path", ">=", from).where("subscriptions.account_path", "<", to);
  }
  if (q.seatHolder) {
    const userId = q.seatHolder;
    query = query.where((eb) =>
      eb.exists(
        eb
          .selectFrom("subscription_seats as s")
          .select("s.user_id")
          .whereRef("s.subscription_id", "=", "subscriptions.id")
          .where("s.user_id", "=", userId),
      ),
    );
  }
  if (q.status) query = query.where("subscriptions.status", "=", q.status);
  if (q.mpn) query = query.where("subscriptions.mpn", "=", q.mpn);
  if (q.productId) query = query.where("subscriptions.product_id", "=", q.productId);
  if (q.beforeId) query = query.where("subscriptions.id", "<", q.beforeId);
  return query.execute();
}

/** Whether an account's adminHold (not the vendor) suspended the subscription: lifting the hold resumes only these. */
export async function isHeldByAccount(db: Db, subscriptionId: string): Promise<boolean> {
  const row = await db
    .selectFrom("subscription_holds")
    .select("subscription_id")
    .where("subscription_id", "=", subscriptionId)
    .executeTakeFirst();
  return row !== undefined;
}

export async function setHeldByAccount(db: Db, subscriptionId: string, held: boolean): Promise<void> {
  if (held) {
    await db
      .insertInto("subscription_holds")
      .values({ subscription_id: subscriptionId })
      .onConflict((oc) => oc.doNothing())
      .execute();
  } else {
    await db.deleteFrom("subscription_holds").where("subscription_id", "=", subscriptionId).execute();
  }
}
