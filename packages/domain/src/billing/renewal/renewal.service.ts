import type { Db } from "@canopy/db";
import { sql } from "@canopy/db";
import { orders } from "@canopy/domain/commerce";
import type { Actor } from "@canopy/domain/identity";
import { DomainError } from "@canopy/domain/shared";

export interface RenewalRun {
  /** Renewal orders placed (or found placed by an earlier run: the key makes them the same order). */
  renewed: number;
  /** Cancellation orders placed because automatic renewal was off. */
  ended: number;
  /** Subscriptions skipped this time (an order in progress, an account on hold…), with why. */
  skipped: { subscriptionId: string; reason: string }[];
}

/** The renewal and expiry orders are the platform's own: placed as the provider, recorded as `system:billing`. */
async function systemActor(db: Db): Promise<Actor> {
  const provider = await db.selectFrom("accounts").select(["id", "path"]).where("type", "=", "provider").executeTakeFirstOrThrow();
  return {
    kind: "system",
    id: "system:billing",
    role: "admin",
    accountId: provider.id,
    accountPath: provider.path,
    accountType: "provider",
  };
}

/** The idempotency key of the renewal of the term starting at `periodStart` (the previous term's end). */
export const renewalKey = (subscriptionId: string, periodStart: Date) => `renew:${subscriptionId}:${periodStart.toISOString()}`;
export const expiryKey = (subscriptionId: string, periodEnd: Date) => `expire:${subscriptionId}:${periodEnd.toISOString()}`;

/**
 * Every active subscription whose `renewsAt` has come (`renews_at <= now`, however long ago:
 * a worker that was down catches up on its next run) gets its renewal order, or a cancellation
 * order when `autoRenew` is off. Each order is placed in its own transaction with a key made of
 * the subscription and the term, so a run that crashed half-way, two runs at once, or a run that
 * sees a subscription again before its order completed all place it once: the order pipeline
 * then renews it (moving `renewsAt` one term on) or ends it.
 */
export async function renewDue(db: Db, now: Date, opts: { limit?: number } = {}): Promise<RenewalRun> {
  const due = await db
    .selectFrom("subscriptions as s")
    .select(["s.id", "s.account_id", "s.renews_at", "s.auto_renew"])
    .where("s.status", "=", "active")
    .where("s.renews_at", "<=", now)
    .where(({ not, exists, selectFrom }) =>
      not(
        exists(
          selectFrom("orders as o")
            .select("o.id")
            .whereRef("o.subscription_id", "=", "s.id")
            .where("o.status", "in", ["submitted", "processing"]),
        ),
      ),
    )
    .orderBy("s.renews_at")
    .limit(opts.limit ?? 5000)
    .execute();
  const run: RenewalRun = { renewed: 0, ended: 0, skipped: [] };
  if (due.length === 0) return run;
  const actor = await systemActor(db);
  for (const sub of due) {
    const renewsAt = sub.renews_at!;
    try {
      await db.transaction().execute((trx) =>
        sub.auto_renew
          ? orders.placeOrder(trx, actor, {
              accountId: sub.account_id,
              type: "renewal",
              items: [{ subscriptionId: sub.id }],
              idempotencyKey: renewalKey(sub.id, renewsAt),
            })
          : orders.placeOrder(trx, actor, {
              accountId: sub.account_id,
              type: "cancellation",
              items: [{ subscriptionId: sub.id }],
              idempotencyKey: expiryKey(sub.id, renewsAt),
            }),
      );
      if (sub.auto_renew) run.renewed++;
      else run.ended++;
    } catch (error) {
      // A refusal (account on hold, an order racing in) is retried on the next run; anything else is a bug.
      if (!(error instanceof DomainError)) throw error;
      run.skipped.push({ subscriptionId: sub.id, reason: error.message });
    }
  }
  return run;
}

/** Subscriptions due and not yet renewed or ended (for tests and health checks). */
export async function dueCount(db: Db, now: Date): Promise<number> {
  const row = await db
    .selectFrom("subscriptions")
    .select(sql<number>`count(*)`.as("n"))
    .where("status", "=", "active")
    .where("renews_at", "<=", now)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}
