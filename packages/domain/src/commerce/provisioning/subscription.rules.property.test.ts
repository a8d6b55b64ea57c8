import type { AccountStatus, SubscriptionAction, SubscriptionStatus } from "@canopy/db";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { decideRequest } from "../orders/subscriptions.states";
import { nextStep } from "./subscription.rules";

// A model of one subscription under two accounts (its reseller and itself), driven by random
// sequences of account status changes and vendor requests, with the worker applying `nextStep`
// until it settles after each change. Whatever the sequence, the settled state must be what a
// user expects from docs/domain.md and docs/orders.md.
type Change = { kind: "status"; account: 0 | 1; status: AccountStatus } | { kind: "request"; action: SubscriptionAction };

const change: fc.Arbitrary<Change> = fc.oneof(
  fc.record({
    kind: fc.constant("status" as const),
    account: fc.constantFrom(0 as const, 1 as const),
    status: fc.constantFrom<AccountStatus>("active", "creditHold", "adminHold", "cancelled"),
  }),
  fc.record({ kind: fc.constant("request" as const), action: fc.constantFrom<SubscriptionAction>("suspend", "resume") }),
);

describe("subscription rules over random histories", () => {
  it("settle on: terminated under a cancellation, suspended under a hold, otherwise what the vendor last asked", () => {
    fc.assert(
      fc.property(fc.array(change, { maxLength: 25 }), (changes) => {
        const accounts: AccountStatus[] = ["active", "active"];
        let status: SubscriptionStatus = "active";
        let pendingAction: SubscriptionAction | null = null;
        let heldByAccount = false;
        let vendorWants: SubscriptionAction = "resume";

        for (const c of changes) {
          if (c.kind === "status") {
            if (accounts[c.account] === "cancelled") continue; // cancelled is final
            accounts[c.account] = c.status;
          } else {
            if (status === "terminated") continue;
            let decision: "record" | "already";
            try {
              decision = decideRequest({ status, pending_action: pendingAction }, c.action, heldByAccount);
            } catch {
              continue; // refused by the API (PRECONDITION_FAILED): nothing recorded
            }
            if (decision === "record") {
              pendingAction = c.action;
              vendorWants = c.action;
            } else if (!accounts.includes("adminHold")) {
              vendorWants = c.action; // "already": the subscription is already in that state
            }
          }
          // the worker settles the subscription
          for (let guard = 0; ; guard++) {
            expect(guard).toBeLessThan(5);
            const step = nextStep({ status, pendingAction, heldByAccount, pathStatuses: accounts });
            if (!step) break;
            status = step.status;
            heldByAccount = step.heldByAccount;
            if (step.clearPendingAction) pendingAction = null;
          }
          expect(pendingAction).toBeNull(); // every request is carried out or settled

          if (accounts.includes("cancelled") || status === "terminated") {
            expect(status).toBe("terminated");
          } else if (accounts.includes("adminHold")) {
            expect(status).toBe("suspended");
          } else {
            expect(status).toBe(vendorWants === "suspend" ? "suspended" : "active");
          }
        }
      }),
      { numRuns: 2000 },
    );
  });
});
