// The SDK under Node (the `node` export condition): the same API as index.ts, calling the API over a
// lean keep-alive transport unless a `fetch` is given.
import { httpSubscriptionLink } from "@trpc/client";
import { EventSource } from "eventsource";
import { buildClient, type CanopyClient, type CanopyClientOptions, type Runtime } from "./client";
import { createNodeFetch } from "./node-fetch";

export type { AppRouter } from "@canopy/api";
export { TRPCClientError } from "@trpc/client";
export { type CanopyClient, type CanopyClientOptions, errorCode } from "./client";
export { type CanopyWebhook, verifyWebhook, type WebhookHeaders, WebhookVerificationError } from "./webhooks";

let leanFetch: typeof fetch | undefined;

/** Subscriptions (events.stream) over server-sent events, with the bearer token as a header. */
const subscriptions: Runtime["subscriptions"] = ({ url, apiKey }) =>
  httpSubscriptionLink({
    url,
    EventSource,
    eventSourceOptions: {
      fetch: (input, init) =>
        fetch(input, { ...init, headers: { ...init?.headers, ...(apiKey ? { authorization: `Bearer ${apiKey}` } : {}) } }),
    },
  });

/** The typed Canopy client: every procedure of the API with its input and output types. */
export function createCanopyClient(options: CanopyClientOptions): CanopyClient {
  leanFetch ??= createNodeFetch();
  return buildClient(options, { fetch: leanFetch, subscriptions });
}
