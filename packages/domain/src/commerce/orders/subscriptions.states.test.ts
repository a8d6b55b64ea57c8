import { DomainError } from "@canopy/domain/shared";
import { describe, expect, it } from "vitest";
import { canMoveOrder } from "./orders.states";
import { assertOrderableSubscription, canMoveSubscription, decideRequest } from "./subscriptions.states";

const codeOf = (fn: () => unknown) => {
  try {
    return fn();
  } catch (error) {
    return error instanceof DomainError ? error.code : String(error);
  }
};

describe("subscription and order state machines", () => {
  it("allow exactly the moves of the spec", () => {
    expect(canMoveSubscription("pending", "active")).toBe(true);
    expect(canMoveSubscription("active", "suspended")).toBe(true);
    expect(canMoveSubscription("suspended", "active")).toBe(true);
    expect(canMoveSubscription("suspended", "terminated")).toBe(true);
    expect(canMoveSubscription("terminated", "active")).toBe(false);
    expect(canMoveSubscription("pending", "suspended")).toBe(false);
    expect(canMoveOrder("submitted", "processing")).toBe(true);
    expect(canMoveOrder("submitted", "cancelled")).toBe(true);
    expect(canMoveOrder("processing", "cancelled")).toBe(false);
    expect(canMoveOrder("completed", "error")).toBe(false);
  });

  it("decide vendor requests: record, already done, or refuse", () => {
    expect(decideRequest({ status: "active", pending_action: null }, "suspend")).toBe("record");
    expect(decideRequest({ status: "active", pending_action: "suspend" }, "suspend")).toBe("already");
    expect(decideRequest({ status: "suspended", pending_action: null }, "suspend")).toBe("already");
    // Suspended by a hold only: the vendor's suspend is recorded so it outlasts the hold.
    expect(decideRequest({ status: "suspended", pending_action: null }, "suspend", true)).toBe("record");
    expect(decideRequest({ status: "suspended", pending_action: null }, "resume")).toBe("record");
    expect(decideRequest({ status: "active", pending_action: null }, "resume")).toBe("already");
    expect(codeOf(() => decideRequest({ status: "active", pending_action: "suspend" }, "resume"))).toBe("PRECONDITION_FAILED");
    expect(codeOf(() => decideRequest({ status: "pending", pending_action: null }, "suspend"))).toBe("PRECONDITION_FAILED");
    expect(codeOf(() => decideRequest({ status: "terminated", pending_action: null }, "resume"))).toBe("PRECONDITION_FAILED");
  });

  it("say which orders a subscription takes in each status", () => {
    expect(codeOf(() => assertOrderableSubscription("change", "active"))).toBeUndefined();
    expect(codeOf(() => assertOrderableSubscription("cancellation", "suspended"))).toBeUndefined();
    expect(codeOf(() => assertOrderableSubscription("change", "suspended"))).toBe("PRECONDITION_FAILED");
    expect(codeOf(() => assertOrderableSubscription("renewal", "pending"))).toBe("PRECONDITION_FAILED");
    expect(codeOf(() => assertOrderableSubscription("cancellation", "terminated"))).toBe("PRECONDITION_FAILED");
  });
});
