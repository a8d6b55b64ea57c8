import { mpn } from "@canopy/domain/catalog";
import { listInput, money, orderStatuses, pageOutput, timestamp } from "@canopy/domain/shared";
import { z } from "zod";

const id = z.string().min(1).max(100);
const quantity = z.number().int().min(1).max(1_000_000);

export const orderType = z.enum(["sales", "change", "cancellation", "renewal"]);
export const orderStatus = z.enum(orderStatuses);
export const idempotencyKey = z.string().trim().min(1).max(200);

/** `{mpn, quantity}` buys a new subscription; `{subscriptionId, quantity?}` acts on an existing one. */
export const orderItemInput = z.union([
  z.strictObject({ mpn, quantity }),
  z.strictObject({ subscriptionId: id, quantity: quantity.optional() }),
]);

const orderContent = {
  /** Defaults to the caller's account. */
  accountId: id.optional(),
  /**
   * Defaults from the items: `sales` for MPN items; for a subscription item, `change` when it
   * has a quantity and `cancellation` when it has none.
   */
  type: orderType.optional(),
  items: z.array(orderItemInput).min(1).max(100),
};

export const ordersEstimateInput = z.strictObject(orderContent);
export const ordersPlaceInput = z.strictObject({
  ...orderContent,
  /** Per placing account: a retry with the same key and content returns the first order. */
  idempotencyKey: idempotencyKey.optional(),
});

export const ordersListInput = listInput.extend({
  /** Only this account's orders (not its subtree's). */
  accountId: id.optional(),
  status: orderStatus.optional(),
  type: orderType.optional(),
  /** createdAt range: since inclusive, until exclusive. */
  since: z.iso.datetime().optional(),
  until: z.iso.datetime().optional(),
});

export type OrderItemInput = z.infer<typeof orderItemInput>;
export type OrdersEstimateInput = z.infer<typeof ordersEstimateInput>;
export type OrdersPlaceInput = z.infer<typeof ordersPlaceInput>;
export type OrdersListInput = z.infer<typeof ordersListInput>;
export type OrderType = z.infer<typeof orderType>;
export type OrderStatus = z.infer<typeof orderStatus>;

/**
 * A priced line. `total` is, by order type: sales and renewal `unitPrice × quantity`; change
 * `unitPrice × (quantity − the subscription's current quantity)`, negative for a reduction (a
 * credit; no proration); cancellation 0, with `quantity` the subscription's current quantity.
 */
export const estimatedItem = z
  .object({
    mpn: z.string(),
    productId: z.string(),
    quantity: z.number().int(),
    unitPrice: money,
    total: money,
    /** The subscription changed, cancelled or renewed; for sales items, the one being created. */
    subscriptionId: z.string().nullable(),
  })
  .meta({ id: "EstimatedItem" });

export const orderEstimate = z
  .object({ accountId: z.string(), type: orderType, items: z.array(estimatedItem), total: money })
  .meta({ id: "OrderEstimate" });

export const orderItem = estimatedItem.extend({ id: z.string() }).meta({ id: "OrderItem" });

export const order = z
  .object({
    id: z.string(),
    accountId: z.string(),
    type: orderType,
    status: orderStatus,
    items: z.array(orderItem),
    total: money,
    idempotencyKey: z.string().nullable(),
    /** The user or API key id that placed it. */
    placedBy: z.string(),
    errorMessage: z.string().nullable(),
    /** The subscription a change, cancellation or renewal order concerns; null for sales orders. */
    subscriptionId: z.string().nullable(),
    createdAt: timestamp,
    updatedAt: timestamp,
    version: z.number().int(),
  })
  .meta({ id: "Order" });
export const ordersPage = pageOutput(order);

export type EstimatedItem = z.infer<typeof estimatedItem>;
export type OrderEstimate = z.infer<typeof orderEstimate>;
export type OrderItem = z.infer<typeof orderItem>;
export type Order = z.infer<typeof order>;
