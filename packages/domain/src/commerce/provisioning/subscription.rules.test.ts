import { describe, expect, it } from "vitest";
import { nextStep, type SubscriptionFacts } from "./subscription.rules";

const facts = (over: Partial<SubscriptionFacts>): SubscriptionFacts => ({
  status: "active",
  pendingAction: null,
  heldByAccount: false,
  pathStatuses: ["active", "active"],
  ...over,
});

describe("subscription rules", () => {
  it("leaves a healthy subscription alone, and never touches pending or terminated ones", () => {
    expect(nextStep(facts({}))).toBeUndefined();
    expect(nextStep(facts({ status: "pending", pathStatuses: ["adminHold"] }))).toBeUndefined();
    expect(nextStep(facts({ status: "terminated", pathStatuses: ["cancelled"] }))).toBeUndefined();
  });

  it("suspends under an adminHold anywhere above, and resumes when it is lifted", () => {
    const held = nextStep(facts({ pathStatuses: ["adminHold", "active"] }));
    expect(held).toMatchObject({ operation: "suspend", status: "suspended", event: "subscription.suspended", heldByAccount: true });
    const lifted = nextStep(facts({ status: "suspended", heldByAccount: true }));
    expect(lifted).toMatchObject({ operation: "resume", status: "active", event: "subscription.resumed", heldByAccount: false });
  });

  it("does not resume a subscription the vendor suspended when a hold is lifted", () => {
    expect(nextStep(facts({ status: "suspended", heldByAccount: false }))).toBeUndefined();
    // …nor one the vendor asked to suspend during the hold
    const during = nextStep(facts({ status: "suspended", heldByAccount: true, pendingAction: "suspend", pathStatuses: ["adminHold"] }));
    expect(during).toMatchObject({ clearPendingAction: true, heldByAccount: false });
    expect(during?.operation).toBeUndefined();
  });

  it("terminates everything below a cancelled account", () => {
    for (const status of ["active", "suspended"] as const) {
      expect(nextStep(facts({ status, pathStatuses: ["active", "cancelled", "adminHold"] }))).toMatchObject({
        operation: "terminate",
        status: "terminated",
        event: "subscription.terminated",
      });
    }
  });

  it("carries out vendor suspend and resume requests", () => {
    expect(nextStep(facts({ pendingAction: "suspend" }))).toMatchObject({ operation: "suspend", clearPendingAction: true });
    expect(nextStep(facts({ status: "suspended", pendingAction: "resume" }))).toMatchObject({
      operation: "resume",
      clearPendingAction: true,
    });
    // a request that is already fulfilled only clears itself
    const fulfilled = nextStep(facts({ pendingAction: "resume" }));
    expect(fulfilled).toMatchObject({ event: "subscription.updated", clearPendingAction: true });
    expect(fulfilled?.operation).toBeUndefined();
  });

  it("creditHold has no effect on running services", () => {
    expect(nextStep(facts({ pathStatuses: ["creditHold", "active"] }))).toBeUndefined();
  });
});
