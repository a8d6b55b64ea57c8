// The SDK for browsers, edge runtimes and bundlers: the global `fetch`, queries and mutations (a
// browser's EventSource cannot send the bearer token, so subscriptions are for Node). Node gets index.node.ts.
import { buildClient, type CanopyClient, type CanopyClientOptions } from "./client";

export type { AppRouter } from "@canopy/api";
export { TRPCClientError } from "@trpc/client";
export { type CanopyClient, type CanopyClientOptions, errorCode } from "./client";
export { type CanopyWebhook, verifyWebhook, type WebhookHeaders, WebhookVerificationError } from "./webhooks";

/** The typed Canopy client: every procedure of the API with its input and output types. */
export function createCanopyClient(options: CanopyClientOptions): CanopyClient {
  return buildClient(options);
}
