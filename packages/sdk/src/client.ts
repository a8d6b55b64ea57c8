import type { AppRouter } from "@canopy/api";
import { createTRPCClient, httpBatchLink, httpLink, splitLink, type TRPCClient, TRPCClientError, type TRPCLink } from "@trpc/client";

export interface CanopyClientOptions {
  /** The API's base URL, e.g. http://localhost:3000 (the client appends /trpc). */
  url: string;
  /** An API key or a session token from auth.login. */
  apiKey?: string;
  /** Batch calls made in the same tick into one HTTP request (default true). */
  batch?: boolean;
  /** The `fetch` to call the API with (default: in Node a lean keep-alive transport, elsewhere the global one). */
  fetch?: typeof fetch;
}

/** The typed client: `client.orders.place.mutate({...})`, `client.orders.list.query({...})`, … */
export type CanopyClient = TRPCClient<AppRouter>;

/** What a runtime adds: its default fetch, and how it carries subscriptions (events.stream) if it can. */
export interface Runtime {
  fetch?: typeof fetch;
  subscriptions?: (options: { url: string; apiKey?: string }) => TRPCLink<AppRouter>;
}

export function buildClient({ url, apiKey, batch = true, fetch }: CanopyClientOptions, runtime: Runtime = {}): CanopyClient {
  const trpcUrl = `${url.replace(/\/+$/, "")}/trpc`;
  const options = { url: trpcUrl, headers: () => (apiKey ? { authorization: `Bearer ${apiKey}` } : {}), fetch: fetch ?? runtime.fetch };
  // The API refuses batches of more than 50 calls (MAX_BATCH_CALLS): larger ones go as several requests.
  const http = batch ? httpBatchLink({ ...options, maxItems: 50 }) : httpLink(options);
  if (!runtime.subscriptions) return createTRPCClient<AppRouter>({ links: [http] });
  const sse = runtime.subscriptions({ url: trpcUrl, apiKey });
  return createTRPCClient<AppRouter>({ links: [splitLink({ condition: (op) => op.type === "subscription", true: sse, false: http })] });
}

/** The tRPC error code of a failed call (NOT_FOUND, CONFLICT, …), or undefined. */
export function errorCode(error: unknown): string | undefined {
  return error instanceof TRPCClientError ? (error.data as { code?: string } | undefined)?.code : undefined;
}
