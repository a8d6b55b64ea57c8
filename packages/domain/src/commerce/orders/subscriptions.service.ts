import type { Db, SubscriptionAction } from "@canopy/db";
import type { Actor } from "@canopy/domain/identity";
import { eventOrigin, findAccountInScope, findUser, permissions, reaches, readScope } from "@canopy/domain/identity";
import { decodeCursor, forbidden, insertEvent, notFound, type Page, pageOf, preconditionFailed } from "@canopy/domain/shared";
import type { Order } from "./orders.schema";
import { placeOrder } from "./orders.service";
import {
  deleteSeat,
  findSubscription,
  hasSeat,
  insertSeat,
  isHeldByAccount,
  lockSubscriptions,
  listSubscriptions as querySubscriptions,
  type SubscriptionWithSeats,
  seatUsage,
  toSubscription,
  updateSubscription,
} from "./subscriptions.repository";
import type {
  Subscription,
  SubscriptionsCancelInput,
  SubscriptionsChangeQuantityInput,
  SubscriptionsListInput,
  SubscriptionsSeatInput,
  SubscriptionsSetAutoRenewInput,
} from "./subscriptions.schema";
import { assertSeatsChangeable, decideRequest } from "./subscriptions.states";

/**
 * Admins read the subscriptions of their subtree; any user reads those they hold a seat on
 * (docs/permissions.md, "own seats"). Everything else is NOT_FOUND.
 */
async function loadReadable(db: Db, actor: Actor, id: string): Promise<SubscriptionWithSeats> {
  const row = await findSubscription(db, id);
  if (row && reaches(actor, row.account_path)) return row;
  if (row && actor.kind === "user" && row.assigned_user_ids.includes(actor.id)) return row;
  throw notFound("subscription");
}

/** A subscription the actor reads and may place orders on: seat holders read but do not manage. */
async function loadManageable(db: Db, actor: Actor, id: string): Promise<SubscriptionWithSeats> {
  const row = await loadReadable(db, actor, id);
  if (!reaches(actor, row.account_path)) throw forbidden("seat holders cannot change the subscription");
  return row;
}

/** A subscription an admin in reach acts on, locked for the rest of the transaction. */
async function loadLocked(db: Db, actor: Actor, id: string): Promise<SubscriptionWithSeats> {
  const [locked] = await lockSubscriptions(db, [id]);
  const row = locked ? await findSubscription(db, id) : undefined;
  if (!row || !reaches(actor, row.account_path)) {
    if (row && actor.kind === "user" && row.assigned_user_ids.includes(actor.id))
      throw forbidden("seat holders cannot change the subscription");
    throw notFound("subscription");
  }
  return row;
}

export async function getSubscription(db: Db, actor: Actor, id: string): Promise<Subscription> {
  return toSubscription(await loadReadable(db, actor, id));
}

export async function listSubscriptions(db: Db, actor: Actor, input: SubscriptionsListInput): Promise<Page<Subscription>> {
  const scope = readScope(actor);
  let accountPath: string | undefined;
  if (scope) {
    const account = input.accountId ? await findAccountInScope(db, input.accountId, scope) : undefined;
    if (input.accountId && !account) throw notFound("account");
    accountPath = account?.path;
  } else {
    // Seat holders: seats are only ever on their own account's subscriptions.
    if (actor.kind !== "user" || (input.accountId && input.accountId !== actor.accountId)) return { items: [], nextCursor: null };
    accountPath = actor.accountPath;
  }
  const rows = await querySubscriptions(db, {
    subtreeOf: scope ?? undefined,
    accountPath,
    seatHolder: scope ? undefined : actor.id,
    status: input.status,
    mpn: input.mpn,
    productId: input.productId,
    beforeId: decodeCursor(input.cursor),
    limit: input.limit,
  });
  return pageOf(rows, input.limit, (r) => r.id, toSubscription);
}

/** Places the change order that sets the quantity, and returns it (the worker applies it). */
export async function changeQuantity(db: Db, actor: Actor, input: SubscriptionsChangeQuantityInput): Promise<Order> {
  const current = await loadManageable(db, actor, input.id);
  return placeOrder(db, actor, {
    accountId: current.account_id,
    type: "change",
    items: [{ subscriptionId: current.id, quantity: input.quantity }],
    idempotencyKey: input.idempotencyKey,
  });
}

/** Places the cancellation order, and returns it (the worker terminates the subscription). */
export async function cancelSubscription(db: Db, actor: Actor, input: SubscriptionsCancelInput): Promise<Order> {
  const current = await loadManageable(db, actor, input.id);
  return placeOrder(db, actor, {
    accountId: current.account_id,
    type: "cancellation",
    items: [{ subscriptionId: current.id }],
    idempotencyKey: input.idempotencyKey,
  });
}

/** Applies a change to the subscription and records `subscription.updated`, in the caller's transaction. */
async function updateAndRecord(db: Db, actor: Actor, id: string, changes: Parameters<typeof updateSubscription>[2]): Promise<Subscription> {
  const row = await updateSubscription(db, id, changes);
  const subscription = toSubscription(row);
  await insertEvent(db, {
    type: "subscription.updated",
    origin: eventOrigin(actor),
    account: { id: row.account_id, path: row.account_path },
    data: subscription,
  });
  return subscription;
}

/**
 * Records a vendor-side suspend or resume request. Only an admin of an account strictly above
 * the subscription's account (its reseller chain or the provider) may ask. The request is
 * stored in `pending_action` with a `subscription.updated` event whose data is the subscription
 * (`pendingAction` set); the worker, reading that event or scanning `pending_action is not
 * null`, calls the connector, moves the status, clears `pending_action` and emits
 * `subscription.suspended` / `subscription.resumed`. Asking again while pending is harmless.
 * While an account above is on adminHold a resume request is recorded all the same: the worker
 * keeps the service suspended and carries the request out when the hold is lifted.
 */
async function requestAction(db: Db, actor: Actor, id: string, action: SubscriptionAction): Promise<Subscription> {
  const current = await loadLocked(db, actor, id);
  if (current.account_id === actor.accountId) {
    throw forbidden(`only the vendor side (a reseller or the provider above the account) can ${action} a subscription`);
  }
  if (decideRequest(current, action, await isHeldByAccount(db, current.id)) === "already") return toSubscription(current);
  return updateAndRecord(db, actor, id, { pending_action: action });
}

export const suspendSubscription = (db: Db, actor: Actor, id: string) => requestAction(db, actor, id, "suspend");
export const resumeSubscription = (db: Db, actor: Actor, id: string) => requestAction(db, actor, id, "resume");

/**
 * Gives a user of the subscription's account a seat. The subscription row is locked, so
 * concurrent assignments count each other: never more seats than the quantity, nor than the
 * quantity an open change order is about to set.
 */
export async function assignUser(db: Db, actor: Actor, input: SubscriptionsSeatInput): Promise<Subscription> {
  const current = await loadLocked(db, actor, input.id);
  permissions.assignSeats(actor, { id: current.account_id, path: current.account_path });
  assertSeatsChangeable(current.status);
  const user = await findUser(db, input.userId);
  if (!user || user.account_id !== current.account_id) throw notFound("user of the subscription's account");
  if (user.status !== "active") throw preconditionFailed("the user is disabled");
  if (await hasSeat(db, current.id, user.id)) return toSubscription(current);
  const usage = await seatUsage(db, current.id);
  const limit = Math.min(current.quantity, usage.pending_quantity ?? Number.POSITIVE_INFINITY);
  if (Number(usage.taken ?? 0) >= limit) throw preconditionFailed(`all ${limit} seats of the subscription are taken`);
  await insertSeat(db, current.id, user.id);
  return updateAndRecord(db, actor, current.id, {});
}

export async function unassignUser(db: Db, actor: Actor, input: SubscriptionsSeatInput): Promise<Subscription> {
  const current = await loadLocked(db, actor, input.id);
  permissions.assignSeats(actor, { id: current.account_id, path: current.account_path });
  if (!(await deleteSeat(db, current.id, input.userId))) return toSubscription(current);
  return updateAndRecord(db, actor, current.id, {});
}

/**
 * Turns automatic renewal on or off: admins of the subscription's account and of every account
 * above it (its vendor chain) may. Off, the worker ends the subscription at `renewsAt`.
 */
export async function setAutoRenew(db: Db, actor: Actor, input: SubscriptionsSetAutoRenewInput): Promise<Subscription> {
  const current = await loadLocked(db, actor, input.id);
  if (current.status === "terminated") throw preconditionFailed("the subscription is terminated");
  if (current.auto_renew === input.autoRenew) return toSubscription(current);
  return updateAndRecord(db, actor, current.id, { auto_renew: input.autoRenew });
}
