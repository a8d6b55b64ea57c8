import type { OrderStatus } from "@canopy/db";
import { preconditionFailed } from "@canopy/domain/shared";

/**
 * The order lifecycle of docs/orders.md, the one place that says which moves exist:
 * submitted → processing → completed | error, submitted → cancelled, and error → submitted when
 * the vendor side asks for a retry (orders.retry).
 * Whoever moves an order (orders.cancel here, the worker) does it with a conditional update
 * (`where status = <from>`), so two movers racing cannot both win.
 */
export const orderTransitions: Record<OrderStatus, readonly OrderStatus[]> = {
  submitted: ["processing", "cancelled"],
  processing: ["completed", "error"],
  completed: [],
  error: ["submitted"],
  cancelled: [],
};

export const canMoveOrder = (from: OrderStatus, to: OrderStatus): boolean => orderTransitions[from].includes(to);

export function assertOrderMove(from: OrderStatus, to: OrderStatus): void {
  if (!canMoveOrder(from, to)) throw preconditionFailed(`a ${from} order cannot become ${to}`);
}

/** Open orders still have work ahead; at most one per subscription (index orders_one_open_per_subscription). */
export const OPEN_ORDER_STATUSES = ["submitted", "processing"] as const satisfies readonly OrderStatus[];
export const isOpenOrder = (status: OrderStatus): boolean => (OPEN_ORDER_STATUSES as readonly OrderStatus[]).includes(status);
