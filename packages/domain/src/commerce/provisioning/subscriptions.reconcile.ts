import type { Db } from "@canopy/db";
import { findAccount } from "@canopy/domain/identity";
import { insertEvent } from "@canopy/domain/shared";
import { findSubscription, isHeldByAccount, setHeldByAccount, toSubscription } from "../orders/subscriptions.repository";
import { PROVISIONING, type ProvisioningContext, RetryLater } from "./provisioning.context";
import { changeSubscription, liveSubscriptionIds, lockSubscription, pathStatuses, productOf } from "./provisioning.repository";
import { nextStep } from "./subscription.rules";

export type ReconcileOutcome = { outcome: "settled" } | { outcome: "gaveUp" | "refused"; message: string };

/**
 * Brings one subscription to the state its accounts' statuses and the vendor's pending request
 * call for (see `nextStep`), through the product's connector, writing the event of each move in
 * the transaction that makes it.
 *
 * The idempotency key of a move is the subscription id, its version and the operation: stable
 * across retries of the same move (the version only changes when a move commits), distinct for
 * the next move of the same subscription. Two jobs racing for the same move send the same key,
 * so the ISV carries it out once; the loser's conditional commit sees the new version and
 * re-decides from there.
 */
export async function reconcileSubscription(db: Db, subscriptionId: string, ctx: ProvisioningContext): Promise<ReconcileOutcome> {
  for (let round = 0; round < 5; round++) {
    const subscription = await findSubscription(db, subscriptionId);
    if (!subscription) return { outcome: "settled" };
    const step = nextStep({
      status: subscription.status,
      pendingAction: subscription.pending_action,
      heldByAccount: await isHeldByAccount(db, subscription.id),
      pathStatuses: await pathStatuses(db, subscription.account_path),
    });
    if (!step) return { outcome: "settled" };

    if (step.operation) {
      const product = await productOf(db, subscription.product_id);
      const lookup = ctx.connectors.forProduct(product);
      if ("problem" in lookup) return { outcome: "refused", message: lookup.problem };
      const result = await lookup.connector[step.operation]({
        idempotencyKey: `${subscription.id}.v${subscription.version}.${step.operation}`,
        subscriptionId: subscription.id,
        accountId: subscription.account_id,
        mpn: subscription.mpn,
        quantity: subscription.quantity,
        serviceRef: subscription.service_ref,
      });
      if (result.outcome === "transient") {
        if (!ctx.finalAttempt) throw new RetryLater(result.message);
        return { outcome: "gaveUp", message: result.message };
      }
      // The ISV refused: the subscription stays as it is and the request is dropped, so that
      // it is not retried forever; the refusal is reported to the caller (and logged there).
      if (result.outcome === "permanent") {
        await db.transaction().execute(async (trx) => {
          const current = await lockSubscription(trx, subscription.id);
          if (current?.version !== subscription.version || current.pending_action === null) return;
          const row = (await changeSubscription(trx, subscription.id, { pending_action: null }))!;
          await insertEvent(trx, {
            type: "subscription.updated",
            origin: PROVISIONING,
            account: { id: row.account_id, path: row.account_path },
            data: toSubscription(row),
          });
        });
        return { outcome: "refused", message: result.message };
      }
    }

    const committed = await db.transaction().execute(async (trx) => {
      const current = await lockSubscription(trx, subscription.id);
      if (current?.version !== subscription.version) return false; // moved meanwhile: decide again
      await setHeldByAccount(trx, subscription.id, step.heldByAccount);
      const row = (await changeSubscription(trx, subscription.id, {
        status: step.status,
        ...(step.clearPendingAction ? { pending_action: null } : {}),
      }))!;
      await insertEvent(trx, {
        type: step.event,
        origin: PROVISIONING,
        account: { id: row.account_id, path: row.account_path },
        data: toSubscription(row),
      });
      return true;
    });
    if (committed && step.status === "terminated") return { outcome: "settled" };
  }
  return { outcome: "settled" };
}

/**
 * Applies an account's status to every live subscription of its subtree (docs/domain.md): adminHold
 * suspends them, a return to active resumes those the hold suspended, cancelled terminates
 * them. Reads the statuses as they are now, so running it twice, or late, is harmless.
 */
export async function applyAccountStatus(db: Db, accountId: string, ctx: ProvisioningContext) {
  const account = await findAccount(db, accountId);
  if (!account) return { reconciled: 0, problems: [] as string[] };
  const problems: string[] = [];
  let retry: RetryLater | undefined;
  let reconciled = 0;
  let after: string | null = null;
  for (;;) {
    const ids = await liveSubscriptionIds(db, account.path, after, 100);
    if (ids.length === 0) break;
    after = ids[ids.length - 1]!;
    // A few at a time: enough to hide connector latency without flooding the ISV.
    for (let i = 0; i < ids.length; i += 8) {
      await Promise.all(
        ids.slice(i, i + 8).map(async (id) => {
          try {
            const result = await reconcileSubscription(db, id, ctx);
            reconciled++;
            if (result.outcome !== "settled") problems.push(`${id}: ${result.message}`);
          } catch (error) {
            if (error instanceof RetryLater) retry = error;
            else throw error;
          }
        }),
      );
    }
  }
  // Whatever settled stays settled; a retry only redoes the subscriptions still out of line.
  if (retry) throw retry;
  return { reconciled, problems };
}
