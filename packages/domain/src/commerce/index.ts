// Commerce: orders, the subscriptions they create and change, and their provisioning through
// ISV connectors.

export * from "./connectors/connector";
export { createDemoConnector, type DemoConnectorOptions, type DemoVerdict } from "./connectors/demo.connector";
export {
  createHttpConnector,
  type HttpConnectorOptions,
  IDEMPOTENCY_HEADER,
  SIGNATURE_HEADER,
  TIMESTAMP_HEADER,
} from "./connectors/http.connector";
export { ISV_SIGNATURE_TOLERANCE_S, signIsvRequest, verifyIsvRequest } from "./connectors/isv-signature";
export { type ConnectorRegistry, createConnectorRegistry, type ProductConnectorRef } from "./connectors/registry";
export { findOrder, type OrderWithItems, toOrder } from "./orders/orders.repository";
export * from "./orders/orders.schema";
export * as orders from "./orders/orders.service";
export * from "./orders/orders.states";
export { findSubscription, type SubscriptionWithSeats, toSubscription } from "./orders/subscriptions.repository";
export * from "./orders/subscriptions.schema";
export * as subscriptions from "./orders/subscriptions.service";
export * from "./orders/subscriptions.states";
export { type ProvisioningContext, type Publication, type Publisher, RetryLater } from "./provisioning/provisioning.context";
export * as provisioning from "./provisioning/provisioning.service";
