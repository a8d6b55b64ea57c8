import type { OrderType, SubscriptionAction, SubscriptionStatus } from "@canopy/db";
import { preconditionFailed } from "@canopy/domain/shared";

/**
 * The subscription lifecycle of docs/orders.md, the one place that says which moves exist:
 * pending → active ⇄ suspended → terminated; pending → terminated when its sales order is
 * cancelled or fails; active → terminated on cancellation.
 * The API creates subscriptions (`pending`, at sales-order placement) and records requests; the
 * worker makes every other move, with conditional updates (`where status = <from>`).
 */
export const subscriptionTransitions: Record<SubscriptionStatus, readonly SubscriptionStatus[]> = {
  pending: ["active", "terminated"],
  active: ["suspended", "terminated"],
  suspended: ["active", "terminated"],
  // Only a subscription that was never provisioned, when the failed sales order that ended it is retried.
  terminated: ["pending"],
};

export const canMoveSubscription = (from: SubscriptionStatus, to: SubscriptionStatus): boolean =>
  subscriptionTransitions[from].includes(to);

export function assertSubscriptionMove(from: SubscriptionStatus, to: SubscriptionStatus): void {
  if (!canMoveSubscription(from, to)) throw preconditionFailed(`a ${from} subscription cannot become ${to}`);
}

/** The subscription statuses an order of each type may be placed in. */
const orderableIn: Record<Exclude<OrderType, "sales">, readonly SubscriptionStatus[]> = {
  change: ["active"],
  cancellation: ["active", "suspended"],
  renewal: ["active"],
};

export function assertOrderableSubscription(type: Exclude<OrderType, "sales">, status: SubscriptionStatus): void {
  if (!orderableIn[type].includes(status)) {
    throw preconditionFailed(`a ${type} order cannot be placed on a ${status} subscription`);
  }
}

/**
 * Vendor-side requests (subscriptions.suspend / resume). A request is recorded in
 * `pending_action` and carried out by the worker, which then moves the status:
 * suspend: active → suspended; resume: suspended → active.
 * Returns "record" when the request must be written, "already" when it is already the state or
 * already requested (asking twice is harmless); anything else is PRECONDITION_FAILED.
 * A suspend of a subscription that only a hold suspended is recorded (see below).
 */
export function decideRequest(
  current: { status: SubscriptionStatus; pending_action: SubscriptionAction | null },
  action: SubscriptionAction,
  /** Suspended only because an account above is on adminHold: it would resume with the hold. */
  heldByAccount = false,
): "record" | "already" {
  const from: SubscriptionStatus = action === "suspend" ? "active" : "suspended";
  const to: SubscriptionStatus = action === "suspend" ? "suspended" : "active";
  if (current.pending_action === action) return "already";
  // The vendor's suspend must outlast the hold, so it is recorded even though the service is
  // already suspended: the worker then stops counting the suspension as the hold's.
  if (action === "suspend" && current.status === "suspended" && heldByAccount && current.pending_action === null) return "record";
  if (current.status === to && current.pending_action === null) return "already";
  if (current.status === from && current.pending_action === null) return "record";
  if (current.pending_action !== null) {
    throw preconditionFailed(`a ${current.pending_action} request is still being carried out; retry when it is done`);
  }
  throw preconditionFailed(`a ${current.status} subscription cannot be ${action === "suspend" ? "suspended" : "resumed"}`);
}

/** Seats can be (un)assigned until the subscription ends. */
export function assertSeatsChangeable(status: SubscriptionStatus): void {
  if (status === "terminated") throw preconditionFailed("the subscription is terminated");
}
