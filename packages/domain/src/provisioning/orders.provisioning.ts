import type { Database, Kysely, OrderRow, SubscriptionRow } from "@canopy/db";
import { sql } from "@canopy/db";
import type { ConnectorRequest, ConnectorResult } from "../connectors/connector";
import { insertEvent } from "../events/events.repository";
import type { EventType } from "../events/events.schema";
import { findOrder, moveOrder, toOrder } from "../orders/orders.repository";
import { findSubscription, toSubscription } from "../subscriptions/subscriptions.repository";
import { type ProvisioningContext, RetryLater } from "./provisioning.context";
import { changeSubscription, type ItemWithProduct, itemsWithProducts, lockOrder, lockSubscription, pathStatuses } from "./provisioning.repository";

type Db = Kysely<Database>;

export type OrderOutcome = "completed" | "error" | "cancelled" | "missing";

const periodOf = (billingPeriod: "month" | "year") => sql`${billingPeriod === "year" ? "1 year" : "1 month"}::interval`;

async function orderEvent(db: Db, type: EventType, row: OrderRow) {
  const order = await findOrder(db, row.id);
  await insertEvent(db, { type, account: { id: row.account_id, path: row.account_path }, data: toOrder(order!) });
}

async function subscriptionEvent(db: Db, type: EventType, row: Parameters<typeof toSubscription>[0]) {
  await insertEvent(db, { type, account: { id: row.account_id, path: row.account_path }, data: toSubscription(row) });
}

/**
 * Carries out an order (spec §6–7): submitted → processing → completed | error, moving its
 * subscriptions and writing every event in the same transaction as each move.
 *
 * Exactly once, whatever crashes or retries: each item's connector call carries the order item
 * id as idempotency key, so the ISV carries it out once however often it is repeated; and the
 * subscription's state is checked before calling, so an item whose effect is already committed
 * is not sent again. Connector calls happen outside transactions (no locks held over network
 * calls); each result is committed with a conditional move.
 */
export async function processOrder(db: Db, orderId: string, ctx: ProvisioningContext): Promise<OrderOutcome> {
  const started = await db.transaction().execute(async (trx) => {
    const order = await lockOrder(trx, orderId);
    if (!order) return "missing" as const;
    if (order.status === "completed" || order.status === "error" || order.status === "cancelled") return order.status;
    if (order.status === "submitted") {
      const moved = await moveOrder(trx, order.id, "submitted", "processing");
      await orderEvent(trx, "order.processing", moved!);
      return moved!;
    }
    return order;
  });
  if (typeof started === "string") return started;
  const order = started;

  if ((await pathStatuses(db, order.account_path)).includes("cancelled")) {
    return failOrder(db, order, "the account was cancelled before the order could be carried out");
  }

  for (const item of await itemsWithProducts(db, order.id)) {
    const result = await carryOutItem(db, order, item, ctx);
    if (result.outcome === "transient") {
      if (!ctx.finalAttempt) throw new RetryLater(result.message);
      return failOrder(db, order, `${result.message} (gave up after ${ctx.attempt ?? "all"} attempts)`);
    }
    if (result.outcome === "permanent") return failOrder(db, order, result.message);
  }
  return completeOrder(db, order);
}

const done: ConnectorResult = { outcome: "ok", serviceRef: "" };

async function carryOutItem(db: Db, order: OrderRow, item: ItemWithProduct, ctx: ProvisioningContext): Promise<ConnectorResult> {
  const subscriptionId = order.type === "sales" ? item.subscription_id : order.subscription_id;
  const subscription = subscriptionId ? await findSubscription(db, subscriptionId) : undefined;
  if (!subscription) return { outcome: "permanent", message: `order item ${item.id} has no subscription` };

  // Already carried out (an earlier run committed it): never call the ISV again.
  if (order.type === "sales" && subscription.status !== "pending") return done;
  if (order.type === "change" && subscription.quantity === item.quantity) return done;
  if (order.type === "cancellation" && subscription.status === "terminated") return done;
  if (order.type === "renewal") return done; // no ISV call; applied with the order's completion

  if (subscription.status === "terminated") return { outcome: "permanent", message: `subscription ${subscription.id} is terminated` };

  const lookup = ctx.connectors.forProduct(item.product);
  if ("problem" in lookup) return { outcome: "permanent", message: lookup.problem };
  const request: ConnectorRequest = {
    idempotencyKey: item.id,
    subscriptionId: subscription.id,
    accountId: subscription.account_id,
    mpn: item.mpn,
    quantity: item.quantity,
    serviceRef: subscription.service_ref,
  };

  if (order.type === "sales") {
    const result = await lookup.connector.provision(request);
    if (result.outcome !== "ok") return result;
    await db.transaction().execute(async (trx) => {
      const current = await lockSubscription(trx, subscription.id);
      if (current?.status !== "pending") return;
      const row = await changeSubscription(trx, subscription.id, {
        status: "active",
        service_ref: result.serviceRef,
        started_at: sql<Date>`now()`,
        renews_at: sql<Date>`now() + ${periodOf(item.product.billing_period)}`,
      });
      await subscriptionEvent(trx, "subscription.activated", row);
    });
    return result;
  }

  if (order.type === "change") {
    const result = await lookup.connector.changeQuantity(request);
    if (result.outcome !== "ok") return result;
    await db.transaction().execute(async (trx) => {
      const current = await lockSubscription(trx, subscription.id);
      if (!current || current.status === "terminated" || current.quantity === item.quantity) return;
      const row = await changeSubscription(trx, subscription.id, { quantity: item.quantity });
      await subscriptionEvent(trx, "subscription.updated", row);
    });
    return result;
  }

  // cancellation: a subscription that was never provisioned has nothing to end at the ISV
  const result = subscription.status === "pending" ? done : await lookup.connector.terminate(request);
  if (result.outcome !== "ok") return result;
  await db.transaction().execute(async (trx) => {
    const current = await lockSubscription(trx, subscription.id);
    if (!current || current.status === "terminated") return;
    await terminate(trx, current);
  });
  return result;
}

async function terminate(trx: Db, subscription: SubscriptionRow) {
  await trx.deleteFrom("subscription_holds").where("subscription_id", "=", subscription.id).execute();
  const row = await changeSubscription(trx, subscription.id, { status: "terminated", pending_action: null });
  await subscriptionEvent(trx, "subscription.terminated", row);
}

async function completeOrder(db: Db, order: OrderRow): Promise<OrderOutcome> {
  return db.transaction().execute(async (trx) => {
    const current = await lockOrder(trx, order.id);
    if (current?.status !== "processing") return (current?.status as OrderOutcome | undefined) ?? "missing";
    if (order.type === "renewal" && order.subscription_id) {
      const subscription = await lockSubscription(trx, order.subscription_id);
      if (subscription && subscription.status !== "terminated") {
        const [item] = await itemsWithProducts(trx, order.id);
        const period = periodOf(item?.product.billing_period ?? "month");
        const row = await changeSubscription(trx, subscription.id, {
          renews_at: sql<Date>`greatest(coalesce(renews_at, now()), now()) + ${period}`,
        });
        await subscriptionEvent(trx, "subscription.updated", row);
      }
    }
    const moved = await moveOrder(trx, order.id, "processing", "completed");
    await orderEvent(trx, "order.completed", moved!);
    return "completed";
  });
}

/**
 * Puts the order in `error` with a readable message and `order.failed`. The subscriptions a
 * failed sales order would have created are terminated (they were never provisioned); items
 * already provisioned stay active, since the ISV delivers them.
 */
async function failOrder(db: Db, order: OrderRow, message: string): Promise<OrderOutcome> {
  return db.transaction().execute(async (trx) => {
    const current = await lockOrder(trx, order.id);
    if (current?.status !== "processing") return (current?.status as OrderOutcome | undefined) ?? "missing";
    if (order.type === "sales") {
      for (const item of await itemsWithProducts(trx, order.id)) {
        const subscription = item.subscription_id ? await lockSubscription(trx, item.subscription_id) : undefined;
        if (subscription?.status === "pending") await terminate(trx, subscription);
      }
    }
    const moved = await moveOrder(trx, order.id, "processing", "error", { error_message: message.slice(0, 1000) });
    await orderEvent(trx, "order.failed", moved!);
    return "error";
  });
}

/** The subscriptions an order touched, to apply account holds to them once it is done. */
export async function subscriptionsOfOrder(db: Db, orderId: string): Promise<string[]> {
  const order = await findOrder(db, orderId);
  if (!order) return [];
  const ids = order.type === "sales" ? order.items.map((i) => i.subscription_id) : [order.subscription_id];
  return ids.filter((id): id is string => id !== null);
}
