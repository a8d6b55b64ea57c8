export * from "./shared/errors";
export * from "./shared/pagination";
export { newId, type IdPrefix } from "./shared/ids";
export { subtreeRange, isInSubtree, childPath, pathIds } from "./shared/subtree";
export { iso } from "./shared/time";

export type { Actor } from "./auth/actor";
export { permissions, reaches, readScope } from "./auth/permissions";
export * from "./auth/auth.schema";
export * as auth from "./auth/auth.service";
export { hashSecret, secretMatches } from "./auth/secrets";
export { authenticatePassword } from "./auth/password-auth";
export type { LoginOrigin } from "./auth/login-throttle";
export { ActorCache, ACTOR_CACHE_TTL_MS, CREDENTIAL_CHANGES_CHANNEL } from "./auth/actor-cache";

export * from "./accounts/accounts.schema";
export * as accounts from "./accounts/accounts.service";
export { listAccountsQuery } from "./accounts/accounts.repository";
export * from "./users/users.schema";
export * as users from "./users/users.service";
export * from "./apiKeys/apiKeys.schema";
export * as apiKeys from "./apiKeys/apiKeys.service";
export * from "./events/events.schema";
export * as events from "./events/events.service";
export { insertEvent, insertEvents, type NewEvent } from "./events/events.repository";

export { type Money, moneyInput, currencyCode } from "./prices/money";
export * from "./products/products.schema";
export * as products from "./products/products.service";
export { listProductsQuery, toProduct } from "./products/products.repository";
export * from "./prices/prices.schema";
export * as prices from "./prices/prices.service";
export { unitPrice, loadProductsWithPrices } from "./prices/pricing";
export * from "./orders/orders.schema";
export * as orders from "./orders/orders.service";
export { toOrder, findOrder, type OrderWithItems } from "./orders/orders.repository";
export * from "./orders/orders.states";
export * from "./subscriptions/subscriptions.schema";
export * as subscriptions from "./subscriptions/subscriptions.service";
export { toSubscription, findSubscription, type SubscriptionWithSeats } from "./subscriptions/subscriptions.repository";
export * from "./subscriptions/subscriptions.states";

export { bootstrapPlatform, type BootstrapOptions, type BootstrapResult } from "./platform/bootstrap";

export * from "./webhooks/webhooks.schema";
export * as webhookEndpoints from "./webhooks/endpoints.service";
export * as webhookDeliveries from "./webhooks/deliveries.service";
export { fanOutEvent } from "./webhooks/fanout";
export { attemptDelivery, type AttemptOutcome } from "./webhooks/delivery";
export { DeliveryLog } from "./webhooks/deliveryLog";
export { takeDueDeliveries } from "./webhooks/webhooks.repository";
export { WebhookSender } from "./webhooks/sender";
export { webhookSettings, sealingKeyFrom, type WebhookSettings } from "./webhooks/settings";
export { checkAddress, checkEndpointUrl } from "./webhooks/addressGuard";
export { signMessage, newWebhookSecret } from "./webhooks/signing";

export * from "./queues/queues";
export { relayBatch, countUnrelayed, type PendingEvent, type RelayBatchOptions } from "./outbox/outbox.service";
export * from "./connectors/connector";
export { createDemoConnector, type DemoConnectorOptions, type DemoVerdict } from "./connectors/demo.connector";
export { listIsvCalls, type IsvCallRecord } from "./connectors/demo-isv.repository";
export { createHttpConnector, signIsvRequest, type HttpConnectorOptions } from "./connectors/http.connector";
export { createConnectorRegistry, type ConnectorRegistry, type ProductConnectorRef } from "./connectors/registry";
export * as provisioning from "./provisioning/provisioning.service";
export { RetryLater, type ProvisioningContext } from "./provisioning/provisioning.context";
