// The worker's business: carrying out orders and keeping subscriptions in line with their
// accounts and vendor requests. The worker's processors are thin wrappers around these.
export { type OrderOutcome, processOrder, subscriptionsOfOrder } from "./orders.provisioning";
export { type ProvisioningContext, RetryLater } from "./provisioning.context";
export { orderOutcomeOf, staleOpenOrders } from "./provisioning.repository";
export { applyAccountStatus, type ReconcileOutcome, reconcileSubscription } from "./subscriptions.reconcile";
