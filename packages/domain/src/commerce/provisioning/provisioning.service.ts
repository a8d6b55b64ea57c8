// The worker's business: carrying out orders and keeping subscriptions in line with their
// accounts and vendor requests. The worker's processors are thin wrappers around these.
export { processOrder, subscriptionsOfOrder, type OrderOutcome } from "./orders.provisioning";
export { reconcileSubscription, applyAccountStatus, type ReconcileOutcome } from "./subscriptions.reconcile";
export { RetryLater, type ProvisioningContext } from "./provisioning.context";
export { orderOutcomeOf, staleOpenOrders } from "./provisioning.repository";
