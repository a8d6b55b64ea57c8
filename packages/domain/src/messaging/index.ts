// Messaging: the event log as readers see it, the outbox relay that hands committed events to
// the queues, the typed queues themselves, and webhooks.
export * from "./events/events.schema";
export * as events from "./events/events.service";
export * from "./queues/queues";
export { relayBatch, countUnrelayed, type PendingEvent, type RelayBatchOptions, type RelayConsumer } from "./outbox/outbox.service";
export { webhookFanOut } from "./webhooks/relay-fan-out";
export * from "./webhooks/webhooks.schema";
export * as webhookEndpoints from "./webhooks/endpoints.service";
export * as webhookDeliveries from "./webhooks/deliveries.service";
export { attemptDelivery, type AttemptOutcome } from "./webhooks/delivery";
export { DeliveryLog } from "./webhooks/delivery-log";
export { takeDueDeliveries } from "./webhooks/deliveries.repository";
export { WebhookSender } from "./webhooks/sender";
export { webhookSettings, sealingKeyFrom, type WebhookSettings } from "./webhooks/settings";
export { checkAddress, checkEndpointUrl } from "./webhooks/address-guard";
export { signMessage, newWebhookSecret } from "./webhooks/signing";
export { streamEvents, type StreamOptions } from "./events/event-stream";
export { EVENTS_CHANNEL, type EventWakeups, listenForEvents } from "./events/event-wakeups";
