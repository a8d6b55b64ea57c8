import { mpn } from "@canopy/domain/catalog";
import { listInput } from "@canopy/domain/shared";
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

export interface Subscription {
  id: string;
  accountId: string;
  productId: string;
  mpn: string;
  quantity: number;
  status: z.infer<typeof subscriptionStatus>;
  /** A vendor's suspend/resume request the worker has not carried out yet, or null. */
  pendingAction: "suspend" | "resume" | null;
  serviceRef: string | null;
  /** Users holding a seat, in the order they were assigned; never more than `quantity`. */
  assignedUserIds: string[];
  startedAt: string | null;
  renewsAt: string | null;
  /** At `renewsAt` the worker renews it (true) or ends it (false). */
  autoRenew: boolean;
  createdAt: string;
  updatedAt: string;
  version: number;
}
