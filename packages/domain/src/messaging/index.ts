// Messaging: the event log as readers see it, the outbox relay that hands committed events to
// the queues, the typed queues themselves, and webhooks.

export { type StreamOptions, streamEvents } from "./events/event-stream";
export { EVENTS_CHANNEL, type EventWakeups, listenForEvents } from "./events/event-wakeups";
export * from "./events/events.schema";
export * as events from "./events/events.service";
export { countUnrelayed, type PendingEvent, type RelayBatchOptions, type RelayConsumer, relayBatch } from "./outbox/outbox.service";
export * from "./queues/queues";
export { checkAddress, checkEndpointUrl } from "./webhooks/address-guard";
export { type ClaimedDelivery, takeDueDeliveries } from "./webhooks/deliveries.repository";
export * as webhookDeliveries from "./webhooks/deliveries.service";
export { type AttemptOutcome, attemptDelivery } from "./webhooks/delivery";
export { DeliveryLog } from "./webhooks/delivery-log";
export * as webhookEndpoints from "./webhooks/endpoints.service";
export { endpointsTaking, fanOutWithCommit, type Recipients, recipientsOf } from "./webhooks/fanout";
export { sendFirstAttempts, webhookFanOut } from "./webhooks/relay-fan-out";
export { WebhookSender } from "./webhooks/sender";
export { attemptLeaseMs, sealingKeyFrom, type WebhookSettings, webhookSettings } from "./webhooks/settings";
export { newWebhookSecret, signMessage } from "./webhooks/signing";
export * from "./webhooks/webhooks.schema";
