import { type AppRouter, MAX_BATCH_CALLS } from "@canopy/api";
import { createTRPCClient, httpBatchLink, httpLink, TRPCClientError } from "@trpc/client";

export { type CanopyWebhook, verifyWebhook, type WebhookHeaders, WebhookVerificationError } from "./webhooks";
export type { AppRouter };
export { TRPCClientError };

export interface CanopyClientOptions {
  /** The API's base URL, e.g. http://localhost:3000 (the client appends /trpc). */
  url: string;
  /** An API key or a session token from auth.login. */
  apiKey?: string;
  /** Batch calls made in the same tick into one HTTP request (default true). */
  batch?: boolean;
  fetch?: typeof fetch;
}

/** The typed Canopy client: every procedure of the API with its input and output types. */
export function createCanopyClient({ url, apiKey, batch = true, fetch }: CanopyClientOptions) {
  const options = {
    url: `${url.replace(/\/+$/, "")}/trpc`,
    headers: () => (apiKey ? { authorization: `Bearer ${apiKey}` } : {}),
    fetch,
  };
  // The API refuses batches beyond MAX_BATCH_CALLS: larger ones go as several requests.
  const link = batch ? httpBatchLink({ ...options, maxItems: MAX_BATCH_CALLS }) : httpLink(options);
  return createTRPCClient<AppRouter>({ links: [link] });
}

export type CanopyClient = ReturnType<typeof createCanopyClient>;

/** The tRPC error code of a failed call (NOT_FOUND, CONFLICT, …), or undefined. */
export function errorCode(error: unknown): string | undefined {
  return error instanceof TRPCClientError ? (error.data as { code?: string } | undefined)?.code : undefined;
}
