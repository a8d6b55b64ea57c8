// Commerce: orders, the subscriptions they create and change, and their provisioning through
// ISV connectors.
export * from "./orders/orders.schema";
export * as orders from "./orders/orders.service";
export { toOrder, findOrder, type OrderWithItems } from "./orders/orders.repository";
export * from "./orders/orders.states";
export * from "./orders/subscriptions.schema";
export * as subscriptions from "./orders/subscriptions.service";
export { toSubscription, findSubscription, type SubscriptionWithSeats } from "./orders/subscriptions.repository";
export * from "./orders/subscriptions.states";
export * from "./connectors/connector";
export { createDemoConnector, type DemoConnectorOptions, type DemoVerdict } from "./connectors/demo.connector";
export { createHttpConnector, signIsvRequest, type HttpConnectorOptions } from "./connectors/http.connector";
export { createConnectorRegistry, type ConnectorRegistry, type ProductConnectorRef } from "./connectors/registry";
export * as provisioning from "./provisioning/provisioning.service";
export { RetryLater, type ProvisioningContext } from "./provisioning/provisioning.context";
