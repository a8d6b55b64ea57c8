import { mpn } from "@canopy/domain/catalog";
import { listInput, pageOutput, timestamp } from "@canopy/domain/shared";
import { z } from "zod";
import { idempotencyKey } from "./orders.schema";

const id = z.string().min(1).max(100);

export const subscriptionStatus = z.enum(["pending", "active", "suspended", "terminated"]);

export const subscriptionsListInput = listInput.extend({
  /** Only this account's subscriptions (not its subtree's). */
  accountId: id.optional(),
  status: subscriptionStatus.optional(),
  mpn: mpn.optional(),
  productId: id.optional(),
});
export const subscriptionsChangeQuantityInput = z.strictObject({
  id,
  quantity: z.number().int().min(1).max(1_000_000),
  idempotencyKey: idempotencyKey.optional(),
});
export const subscriptionsCancelInput = z.strictObject({ id, idempotencyKey: idempotencyKey.optional() });
export const subscriptionsSeatInput = z.strictObject({ id, userId: id });
export const subscriptionsSetAutoRenewInput = z.strictObject({ id, autoRenew: z.boolean() });

export type SubscriptionsListInput = z.infer<typeof subscriptionsListInput>;
export type SubscriptionsChangeQuantityInput = z.infer<typeof subscriptionsChangeQuantityInput>;
export type SubscriptionsCancelInput = z.infer<typeof subscriptionsCancelInput>;
export type SubscriptionsSeatInput = z.infer<typeof subscriptionsSeatInput>;
export type SubscriptionsSetAutoRenewInput = z.infer<typeof subscriptionsSetAutoRenewInput>;

export const subscription = z
  .object({
    id: z.string(),
    accountId: z.string(),
    productId: z.string(),
    mpn: z.string(),
    quantity: z.number().int(),
    status: subscriptionStatus,
    /** A vendor's suspend/resume request the worker has not carried out yet, or null. */
    pendingAction: z.enum(["suspend", "resume"]).nullable(),
    serviceRef: z.string().nullable(),
    /** Users holding a seat, in the order they were assigned; never more than `quantity`. */
    assignedUserIds: z.array(z.string()),
    startedAt: timestamp.nullable(),
    renewsAt: timestamp.nullable(),
    /** At `renewsAt` the worker renews it (true) or ends it (false). */
    autoRenew: z.boolean(),
    createdAt: timestamp,
    updatedAt: timestamp,
    version: z.number().int(),
  })
  .meta({ id: "Subscription" });
export const subscriptionsPage = pageOutput(subscription);
export type Subscription = z.infer<typeof subscription>;
