import type { Db, OrderItemRow, OrderRow, SubscriptionRow } from "@canopy/db";
import { sql } from "@canopy/db";
import type { EventType, WrittenEvent } from "@canopy/domain/shared";
import { sendEventWithCommit } from "@canopy/domain/shared";
import type { ConnectorRequest, ConnectorResult } from "../connectors/connector";
import { findOrder, moveOrder, toOrder } from "../orders/orders.repository";
import { findSubscription, type SubscriptionWithSeats, toSubscription } from "../orders/subscriptions.repository";
import { PROVISIONING, type ProvisioningContext, type Publisher, RetryLater } from "./provisioning.context";
import {
  changeSubscription,
  findOrderRow,
  type ItemWithProduct,
  itemsWithProducts,
  lockSubscription,
  pathStatusesOfOrder,
} from "./provisioning.repository";

export type OrderOutcome = "completed" | "error" | "cancelled" | "missing";

const periodOf = (billingPeriod: "month" | "year") => sql`${billingPeriod === "year" ? "1 year" : "1 month"}::interval`;

// Each transaction below ends with its event (and the event's deliveries): they go out with its
// COMMIT, so an event costs provisioning no round trip of its own.
const orderEvent = (db: Db, type: EventType, row: OrderRow, items: OrderItemRow[]) =>
  sendEventWithCommit(db, {
    type,
    origin: PROVISIONING,
    account: { id: row.account_id, path: row.account_path },
    data: toOrder({ ...row, items }),
  });

const subscriptionEvent = (db: Db, type: EventType, row: SubscriptionWithSeats) =>
  sendEventWithCommit(db, {
    type,
    origin: PROVISIONING,
    account: { id: row.account_id, path: row.account_path },
    data: toSubscription(row),
  });

/** `ctx.publisherFor` of the order's account, started once: undefined when the worker has none. */
type PublisherOf = Promise<Publisher | undefined> | undefined;

/** A run of one order: its context and its publisher. */
interface Run extends ProvisioningContext {
  publisher: PublisherOf;
}

/**
 * A provisioning transaction that writes events of `type`, which `publish` collects: they are
 * fanned out to webhooks with its commit and sent once it has committed (`ctx.publisherFor`), a
 * relay hop sooner than otherwise.
 */
async function transactionPublishing<T>(
  db: Db,
  publisher: PublisherOf,
  type: EventType,
  work: (trx: Db, publish: (event: WrittenEvent) => void) => Promise<T>,
): Promise<T> {
  const publication = (await publisher)?.begin(type);
  try {
    const result = await db.transaction().execute(async (trx) => {
      const events: WrittenEvent[] = [];
      const out = await work(trx, (event) => events.push(event));
      if (events.length > 0) await publication?.write(trx, events);
      return out;
    });
    publication?.end(true);
    return result;
  } catch (error) {
    publication?.end(false);
    throw error;
  }
}

/**
 * Carries out an order (docs/orders.md): submitted → processing → completed | error, moving its
 * subscriptions and writing every event in the same transaction as each move.
 *
 * Exactly once, whatever crashes or retries: each item's connector call carries the order item
 * id as idempotency key, so the ISV carries it out once however often it is repeated; and the
 * subscription's state is checked before calling, so an item whose effect is already committed
 * is not sent again. Connector calls happen outside transactions (no locks held over network
 * calls); each result is committed with a conditional update (`where status = …`), which is
 * also what makes two runs of the same order racing each other harmless.
 */
export async function processOrder(db: Db, orderId: string, ctx: ProvisioningContext): Promise<OrderOutcome> {
  // Reads that do not depend on each other go out together, on other pooled connections, while
  // the order moves: the items, the account path's statuses and (for a sales order) the first
  // item's subscription. They are snapshots wherever they are taken: what decides is each
  // change's conditional update.
  const itemsRead = itemsWithProducts(db, orderId);
  const statusesRead = pathStatusesOfOrder(db, orderId);
  const firstItemSubscription = itemsRead.then((items) =>
    items[0]?.subscription_id ? findSubscription(db, items[0].subscription_id) : undefined,
  );
  for (const read of [itemsRead, statusesRead, firstItemSubscription]) read.catch(() => {}); // awaited below
  const taken = await db.transaction().execute(async (trx) => {
    const moved = await moveOrder(trx, orderId, "submitted", "processing");
    if (moved) await orderEvent(trx, "order.processing", moved, await itemsRead);
    return moved;
  });
  const items = await itemsRead;
  const order = taken ?? (await findOrderRow(db, orderId));
  if (!order) return "missing";
  if (order.status !== "processing") return order.status === "submitted" ? "missing" : order.status;
  // Who the run's events go to, read while the ISV is called (should it fail, the relay sends them).
  const run: Run = { ...ctx, publisher: ctx.publisherFor?.(order.account_path).catch(() => undefined) };

  // The early read is the one wanted whenever the item names the subscription the order acts on.
  const first = items[0];
  const firstSubscription = first
    ? subscriptionIdOf(order, first) === (first.subscription_id ?? undefined)
      ? firstItemSubscription
      : subscriptionOf(db, order, first)
    : undefined;
  firstSubscription?.catch(() => {}); // awaited in carryOutItem unless the order fails here
  if ((await statusesRead).includes("cancelled")) {
    return failOrder(db, order, items, "the account was cancelled before the order could be carried out", run);
  }

  for (const [i, item] of items.entries()) {
    const result = await carryOutItem(db, order, item, run, i === 0 ? firstSubscription : undefined);
    if (result.outcome === "transient") {
      if (!run.finalAttempt) throw new RetryLater(result.message);
      return failOrder(db, order, items, `${result.message} (gave up after ${run.attempt ?? "all"} attempts)`, run);
    }
    if (result.outcome === "permanent") return failOrder(db, order, items, result.message, run);
  }
  return completeOrder(db, order, items, run);
}

const done: ConnectorResult = { outcome: "ok", serviceRef: "" };

/** The subscription an item acts on, as it is now (none for a renewal, which calls no ISV). */
function subscriptionOf(db: Db, order: OrderRow, item: ItemWithProduct): Promise<SubscriptionWithSeats | undefined> {
  const subscriptionId = subscriptionIdOf(order, item);
  return subscriptionId ? findSubscription(db, subscriptionId) : Promise.resolve(undefined);
}

function subscriptionIdOf(order: OrderRow, item: ItemWithProduct): string | undefined {
  if (order.type === "renewal") return undefined;
  return (order.type === "sales" ? item.subscription_id : order.subscription_id) ?? undefined;
}

async function carryOutItem(
  db: Db,
  order: OrderRow,
  item: ItemWithProduct,
  ctx: Run,
  /** Read after the order moved to processing, alongside the account check. */
  read?: Promise<SubscriptionWithSeats | undefined>,
): Promise<ConnectorResult> {
  if (order.type === "renewal") return done; // no ISV call; applied with the order's completion
  const subscription = await (read ?? subscriptionOf(db, order, item));
  if (!subscription) return { outcome: "permanent", message: `order item ${item.id} has no subscription` };

  // Already carried out (an earlier run committed it): never call the ISV again.
  if (order.type === "sales" && subscription.status !== "pending") return done;
  if (order.type === "change" && subscription.quantity === item.quantity) return done;
  if (order.type === "cancellation" && subscription.status === "terminated") return done;
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
    await transactionPublishing(db, ctx.publisher, "subscription.activated", async (trx, publish) => {
      const activated = await changeSubscription(
        trx,
        subscription.id,
        {
          status: "active",
          service_ref: result.serviceRef,
          started_at: sql<Date>`now()`,
          renews_at: sql<Date>`now() + ${periodOf(item.product.billing_period)}`,
        },
        { status: "pending" },
      );
      if (activated) publish(await subscriptionEvent(trx, "subscription.activated", activated));
    });
    return result;
  }

  if (order.type === "change") {
    const result = await lookup.connector.changeQuantity(request);
    if (result.outcome !== "ok") return result;
    await transactionPublishing(db, ctx.publisher, "subscription.updated", async (trx, publish) => {
      const current = await lockSubscription(trx, subscription.id);
      if (!current || current.status === "terminated" || current.quantity === item.quantity) return;
      const row = await changeSubscription(trx, subscription.id, { quantity: item.quantity });
      publish(await subscriptionEvent(trx, "subscription.updated", row!));
    });
    return result;
  }

  // cancellation: a subscription that was never provisioned has nothing to end at the ISV
  const result = subscription.status === "pending" ? done : await lookup.connector.terminate(request);
  if (result.outcome !== "ok") return result;
  await transactionPublishing(db, ctx.publisher, "subscription.terminated", async (trx, publish) => {
    const current = await lockSubscription(trx, subscription.id);
    if (!current || current.status === "terminated") return;
    publish(await terminate(trx, current));
  });
  return result;
}

async function terminate(trx: Db, subscription: SubscriptionRow) {
  await trx.deleteFrom("subscription_holds").where("subscription_id", "=", subscription.id).execute();
  const row = await changeSubscription(trx, subscription.id, { status: "terminated", pending_action: null });
  return subscriptionEvent(trx, "subscription.terminated", row!);
}

/** The final move, conditional on the order still being `processing` (a racing run loses here). */
async function settle(
  db: Db,
  order: OrderRow,
  items: OrderItemRow[],
  to: "completed" | "error",
  ctx: Run,
  apply: (trx: Db) => Promise<void>,
  errorMessage?: string,
) {
  let settledHere = false;
  const type = to === "completed" ? "order.completed" : "order.failed";
  const outcome = await transactionPublishing(db, ctx.publisher, type, async (trx, publish): Promise<OrderOutcome> => {
    const moved = await moveOrder(
      trx,
      order.id,
      "processing",
      to,
      errorMessage === undefined ? {} : { error_message: errorMessage.slice(0, 1000) },
    );
    if (!moved) return ((await findOrderRow(trx, order.id))?.status as OrderOutcome | undefined) ?? "missing";
    await apply(trx);
    publish(await orderEvent(trx, type, moved, items));
    settledHere = true;
    return to;
  });
  if (settledHere) ctx.onSettled?.({ type: order.type, outcome: to });
  return outcome;
}

function completeOrder(db: Db, order: OrderRow, items: ItemWithProduct[], ctx: Run): Promise<OrderOutcome> {
  return settle(db, order, items, "completed", ctx, async (trx) => {
    if (order.type !== "renewal" || !order.subscription_id) return;
    const period = periodOf(items[0]?.product.billing_period ?? "month");
    const renewed = await trx
      .updateTable("subscriptions")
      // Terms follow each other without gaps: a renewal placed late (a worker that was down)
      // still starts its term where the previous one ended, so no day is billed twice or never.
      .set({
        renews_at: sql<Date>`coalesce(renews_at, now()) + ${period}`,
        updated_at: sql<Date>`now()`,
        version: sql<number>`version + 1`,
      })
      .where("id", "=", order.subscription_id)
      .where("status", "<>", "terminated")
      .returning("id")
      .executeTakeFirst();
    if (renewed) await subscriptionEvent(trx, "subscription.updated", (await findSubscription(trx, renewed.id))!);
  });
}

/**
 * Puts the order in `error` with a readable message and `order.failed`. The subscriptions a
 * failed sales order would have created are terminated (they were never provisioned); items
 * already provisioned stay active, since the ISV delivers them.
 */
function failOrder(db: Db, order: OrderRow, items: ItemWithProduct[], message: string, ctx: Run): Promise<OrderOutcome> {
  return settle(
    db,
    order,
    items,
    "error",
    ctx,
    async (trx) => {
      if (order.type !== "sales") return;
      for (const item of items) {
        const subscription = item.subscription_id ? await lockSubscription(trx, item.subscription_id) : undefined;
        if (subscription?.status === "pending") await terminate(trx, subscription);
      }
    },
    message,
  );
}

/** The subscriptions an order touched, to apply account holds to them once it is done. */
export async function subscriptionsOfOrder(db: Db, orderId: string): Promise<string[]> {
  const order = await findOrder(db, orderId);
  if (!order) return [];
  const ids = order.type === "sales" ? order.items.map((i) => i.subscription_id) : [order.subscription_id];
  return ids.filter((id): id is string => id !== null);
}
