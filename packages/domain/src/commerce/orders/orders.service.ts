import type { AccountRow, Db, OrderItemRow } from "@canopy/db";
import type { Actor } from "@canopy/domain/identity";
import { eventOrigin, findAccountInScope, permissions, reaches, readScope } from "@canopy/domain/identity";
import {
  conflict,
  decodeCursor,
  forbidden,
  insertEvents,
  isUniqueViolation,
  type NewEvent,
  newId,
  notFound,
  type Page,
  pageOf,
  preconditionFailed,
} from "@canopy/domain/shared";
import { priceOrder } from "./order-pricing";
import { type OrderRequest, resolveOrderRequest } from "./order-request";
import {
  findOrder,
  findOrderByKey,
  insertOrderLines,
  insertOrderOnce,
  loadAccountChain,
  moveOrder,
  type OrderWithItems,
  listOrders as queryOrders,
  toOrder,
} from "./orders.repository";
import type { Order, OrderEstimate, OrdersEstimateInput, OrdersListInput, OrdersPlaceInput } from "./orders.schema";
import { assertOrderMove } from "./orders.states";
import {
  reopenUnprovisionedSubscriptions,
  type SubscriptionWithSeats,
  terminatePendingSubscriptions,
  toSubscription,
} from "./subscriptions.repository";

const seesDrafts = (actor: Actor) => actor.role === "admin" && actor.accountType === "provider";

/**
 * Loads the account an order is for, with every account above it, and checks that the actor
 * may order for it (NOT_FOUND outside its subtree) and that the accounts' statuses allow the
 * order type: `creditHold` at or above the account blocks sales orders; `adminHold` or
 * `cancelled` at or above it blocks every order (docs/domain.md).
 */
async function loadOrderingAccount(
  db: Db,
  actor: Actor,
  request: OrderRequest,
  lock: boolean,
): Promise<{ account: AccountRow; check: () => void }> {
  const chain = await loadAccountChain(db, request.accountId, { lock });
  const account = chain.find((a) => a.id === request.accountId);
  // A service user knows its own account exists: refusing it by name hides nothing (docs/permissions.md).
  if (account?.id === actor.accountId) permissions.orderForOwnAccount(actor);
  if (!account || !reaches(actor, account.path)) throw notFound("account");
  permissions.placeOrderFor(actor, account);
  const check = () => {
    for (const a of chain) {
      const who = a.id === account.id ? "the account" : `account ${a.id} above it`;
      if (a.status === "cancelled") throw preconditionFailed(`${who} is cancelled`);
      if (a.status === "adminHold") throw preconditionFailed(`${who} is on administrative hold`);
      if (a.status === "creditHold" && request.type === "sales") throw preconditionFailed(`${who} is on credit hold: no new sales orders`);
    }
  };
  return { account, check };
}

/** The priced order without recording anything (docs/orders.md). */
export async function estimateOrder(db: Db, actor: Actor, input: OrdersEstimateInput): Promise<OrderEstimate> {
  const request = resolveOrderRequest(input, input.accountId ?? actor.accountId);
  const { account, check } = await loadOrderingAccount(db, actor, request, false);
  check();
  const priced = await priceOrder(db, account, request, { lock: false, seesDrafts: seesDrafts(actor) });
  return { accountId: account.id, type: priced.type, items: priced.items, total: priced.total };
}

function replay(prior: OrderWithItems, request: OrderRequest): Order {
  if (prior.request_hash !== request.hash) {
    throw conflict(`idempotencyKey "${prior.idempotency_key}" was already used for a different order (${prior.id})`);
  }
  return toOrder(prior);
}

/**
 * Validates, prices and records an order with status `submitted`, its items, the pending
 * subscriptions of a sales order and the events (`order.created`, `subscription.created` per new
 * subscription). Call it in one transaction. Round trips to Postgres, whatever the item count:
 *   account chain (share-locked) · [prior order by idempotency key] · products with prices
 *   (sales) or subscription lock + subscription read (others) · order · the subscriptions of a
 *   sales order, the items and the events (one statement)
 * i.e. 4 statements for a sales order without a key, 5 for the others, one more with a key;
 * BEGIN goes out with the first and the last with COMMIT, so as many round trips. A concurrent
 * duplicate that loses the race on the key adds one read of the winner's order.
 * Provisioning is the worker's: it picks the order up from the `order.created` event.
 */
export async function placeOrder(db: Db, actor: Actor, input: OrdersPlaceInput): Promise<Order> {
  const request = resolveOrderRequest(input, input.accountId ?? actor.accountId);
  const { account, check } = await loadOrderingAccount(db, actor, request, true);
  const key = input.idempotencyKey ?? null;
  if (key) {
    // A retry returns the first order even if placing it again would now fail validation.
    const prior = await findOrderByKey(db, account.id, key);
    if (prior) return replay(prior, request);
  }
  check();
  const priced = await priceOrder(db, account, request, { lock: true, seesDrafts: seesDrafts(actor) });

  const orderId = newId("ord");
  // biome-ignore lint/suspicious/noImplicitAnyLet: typed by the branches that assign it
  let orderRow;
  try {
    orderRow = await insertOrderOnce(db, {
      id: orderId,
      account_id: account.id,
      account_path: account.path,
      type: priced.type,
      total_amount: priced.total.amount,
      currency: priced.total.currency,
      idempotency_key: key,
      request_hash: request.hash,
      placed_by: actor.id,
      subscription_id: priced.subscriptionId,
    });
  } catch (error) {
    if (isUniqueViolation(error, "orders_one_open_per_subscription")) {
      throw preconditionFailed("the subscription already has an order in progress; wait for it or cancel it");
    }
    throw error;
  }
  if (!orderRow) {
    // A concurrent placement with the same key committed first: answer as a retry would.
    const prior = await findOrderByKey(db, account.id, key!);
    return replay(prior!, request);
  }

  // Sales orders create their subscriptions now, `pending` (docs/orders.md: "sales order accepted").
  // Every column is given here (created with the order, at its time), so the rows are known
  // without reading them back and go into the same statement as the items and the events.
  const subscriptions: SubscriptionWithSeats[] =
    priced.type === "sales"
      ? priced.items.map((item) => ({
          id: newId("sub"),
          account_id: account.id,
          account_path: account.path,
          product_id: item.productId,
          mpn: item.mpn,
          quantity: item.quantity,
          status: "pending",
          pending_action: null,
          service_ref: null,
          started_at: null,
          renews_at: null,
          auto_renew: true,
          created_at: orderRow.created_at,
          updated_at: orderRow.created_at,
          version: 1,
          assigned_user_ids: [],
        }))
      : [];
  const itemRows: OrderItemRow[] = priced.items.map((item, position) => ({
    id: newId("itm"),
    order_id: orderId,
    position,
    mpn: item.mpn,
    product_id: item.productId,
    quantity: item.quantity,
    unit_price: item.unitPrice.amount,
    total: item.total.amount,
    subscription_id: subscriptions[position]?.id ?? item.subscriptionId,
  }));
  const order = toOrder({ ...orderRow, items: itemRows });
  const about = { id: account.id, path: account.path };
  await insertOrderLines(db, subscriptions, itemRows, [
    { type: "order.created", origin: eventOrigin(actor), account: about, data: order },
    ...subscriptions.map(
      (s): NewEvent => ({ type: "subscription.created", origin: eventOrigin(actor), account: about, data: toSubscription(s) }),
    ),
  ]);
  return order;
}

async function loadOrderInReach(db: Db, actor: Actor, id: string): Promise<OrderWithItems> {
  const scope = readScope(actor);
  const row = scope ? await findOrder(db, id) : undefined;
  if (!row || !reaches(actor, row.account_path)) throw notFound("order");
  return row;
}

export async function getOrder(db: Db, actor: Actor, id: string): Promise<Order> {
  return toOrder(await loadOrderInReach(db, actor, id));
}

export async function listOrders(db: Db, actor: Actor, input: OrdersListInput): Promise<Page<Order>> {
  const scope = readScope(actor);
  if (!scope) return { items: [], nextCursor: null };
  const account = input.accountId ? await findAccountInScope(db, input.accountId, scope) : undefined;
  if (input.accountId && !account) throw notFound("account");
  const rows = await queryOrders(db, {
    subtreeOf: scope,
    accountPath: account?.path,
    status: input.status,
    type: input.type,
    since: input.since,
    until: input.until,
    beforeId: decodeCursor(input.cursor),
    limit: input.limit,
  });
  return pageOf(rows, input.limit, (r) => r.id, toOrder);
}

/**
 * Cancels a `submitted` order (whoever may place it may cancel it). The pending subscriptions a
 * sales order created end `terminated` with it. The move is conditional, so if the worker took
 * the order first this is PRECONDITION_FAILED and the order goes on.
 */
export async function cancelOrder(db: Db, actor: Actor, id: string): Promise<Order> {
  const current = await loadOrderInReach(db, actor, id);
  permissions.placeOrderFor(actor, { id: current.account_id, path: current.account_path });
  assertOrderMove(current.status, "cancelled");
  const row = await moveOrder(db, id, "submitted", "cancelled");
  if (!row) throw preconditionFailed("the order is already being processed and can no longer be cancelled");
  const order = toOrder({ ...row, items: current.items });
  const about = { id: row.account_id, path: row.account_path };
  const ended =
    row.type === "sales"
      ? await terminatePendingSubscriptions(
          db,
          current.items.map((i) => i.subscription_id!),
        )
      : [];
  await insertEvents(db, [
    { type: "order.cancelled", origin: eventOrigin(actor), account: about, data: order },
    ...ended.map(
      (s): NewEvent => ({ type: "subscription.terminated", origin: eventOrigin(actor), account: about, data: toSubscription(s) }),
    ),
  ]);
  return order;
}

/**
 * Gives an `error` order another run (docs/orders.md#retrying-a-failed-order): asked by the vendor
 * side (an admin of an account strictly above the order's account, or the provider) once the cause
 * is gone. The order goes back to `submitted` with `order.retried`, which the worker picks up
 * through the outbox like a new order; its items keep their ids, so the ISV sees the same
 * idempotency keys and what it already carried out is not done twice. A sales order's
 * subscriptions that its failure ended before they were ever provisioned are reopened (`pending`).
 * The accounts' statuses are checked as for placing the order.
 */
export async function retryOrder(db: Db, actor: Actor, id: string): Promise<Order> {
  const current = await loadOrderInReach(db, actor, id);
  if (actor.role !== "admin" || current.account_id === actor.accountId) {
    throw forbidden("only the vendor side (an admin of a reseller or the provider above the account) can retry an order");
  }
  assertOrderMove(current.status, "submitted");
  const request: OrderRequest = { accountId: current.account_id, type: current.type, lines: [], hash: "" };
  const { check } = await loadOrderingAccount(db, actor, request, true);
  check();
  // biome-ignore lint/suspicious/noImplicitAnyLet: typed by the branches that assign it
  let row;
  try {
    row = await moveOrder(db, id, "error", "submitted", { error_message: null });
  } catch (error) {
    if (isUniqueViolation(error, "orders_one_open_per_subscription")) {
      throw preconditionFailed("the subscription has another order in progress; wait for it or cancel it");
    }
    throw error;
  }
  if (!row) throw preconditionFailed("the order is no longer in error");
  const order = toOrder({ ...row, items: current.items });
  const about = { id: row.account_id, path: row.account_path };
  const reopened =
    row.type === "sales"
      ? await reopenUnprovisionedSubscriptions(
          db,
          current.items.map((i) => i.subscription_id!),
        )
      : [];
  await insertEvents(db, [
    { type: "order.retried", origin: eventOrigin(actor), account: about, data: order },
    ...reopened.map(
      (s): NewEvent => ({ type: "subscription.updated", origin: eventOrigin(actor), account: about, data: toSubscription(s) }),
    ),
  ]);
  return order;
}
