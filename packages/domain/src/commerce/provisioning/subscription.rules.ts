import type { AccountStatus, SubscriptionAction, SubscriptionStatus } from "@canopy/db";
import type { EventType } from "@canopy/domain/shared";
import type { ConnectorOperation } from "../connectors/connector";

/**
 * What a live subscription should become, given the statuses of its account and every account
 * above it (docs/domain.md: `adminHold` suspends the subtree's subscriptions, `cancelled` terminates
 * them), the vendor's pending request (`pending_action`), and whether it is suspended only
 * because of a hold (`heldByAccount`: such a subscription resumes when the hold is lifted; one
 * the vendor suspended itself does not).
 *
 * Deciding from current state rather than from the event that triggered the check makes the
 * outcome independent of the order in which jobs run: an `adminHold` quickly followed by a
 * return to `active` converges to an active subscription whichever job runs last.
 */
export interface SubscriptionFacts {
  status: SubscriptionStatus;
  pendingAction: SubscriptionAction | null;
  heldByAccount: boolean;
  /** Statuses of the account and its ancestors. */
  pathStatuses: AccountStatus[];
}

export interface SubscriptionStep {
  /** The connector call that carries the step out at the ISV, if any. */
  operation?: ConnectorOperation;
  status: SubscriptionStatus;
  event: EventType;
  clearPendingAction: boolean;
  heldByAccount: boolean;
}

export function nextStep(facts: SubscriptionFacts): SubscriptionStep | undefined {
  const { status, pendingAction, heldByAccount } = facts;
  if (status === "pending" || status === "terminated") return undefined;
  const clear = pendingAction !== null;

  if (facts.pathStatuses.includes("cancelled")) {
    return {
      operation: "terminate",
      status: "terminated",
      event: "subscription.terminated",
      clearPendingAction: clear,
      heldByAccount: false,
    };
  }

  if (facts.pathStatuses.includes("adminHold")) {
    // The hold wins; a vendor request made meanwhile decides what happens when it is lifted.
    const resumeAfterHold = pendingAction === "suspend" ? false : pendingAction === "resume" ? true : status === "active" || heldByAccount;
    if (status === "active") {
      return {
        operation: "suspend",
        status: "suspended",
        event: "subscription.suspended",
        clearPendingAction: clear,
        heldByAccount: resumeAfterHold,
      };
    }
    if (clear || heldByAccount !== resumeAfterHold) {
      return { status, event: "subscription.updated", clearPendingAction: clear, heldByAccount: resumeAfterHold };
    }
    return undefined;
  }

  if (pendingAction === "suspend") {
    return status === "active"
      ? { operation: "suspend", status: "suspended", event: "subscription.suspended", clearPendingAction: true, heldByAccount: false }
      : { status, event: "subscription.updated", clearPendingAction: true, heldByAccount: false };
  }
  if (pendingAction === "resume" || (status === "suspended" && heldByAccount)) {
    return status === "suspended"
      ? { operation: "resume", status: "active", event: "subscription.resumed", clearPendingAction: clear, heldByAccount: false }
      : { status, event: "subscription.updated", clearPendingAction: true, heldByAccount: false };
  }
  return undefined;
}
