import type { AppRouter } from "@canopy/api";
import { MutationCache, QueryCache, QueryClient } from "@tanstack/react-query";
import { createTRPCClient, httpBatchLink, httpSubscriptionLink, splitLink, TRPCClientError } from "@trpc/client";
import type { inferRouterInputs, inferRouterOutputs } from "@trpc/server";
import { createTRPCOptionsProxy } from "@trpc/tanstack-react-query";
import { isUnauthorized } from "./lib/errors";

export type RouterInputs = inferRouterInputs<AppRouter>;
export type RouterOutputs = inferRouterOutputs<AppRouter>;

/** Called when the API stops recognising the session (expired, signed out elsewhere). */
let onSessionLost: () => void = () => {};
export function whenSessionLost(handler: () => void): void {
  onSessionLost = handler;
}

const lost = (error: unknown) => {
  if (isUnauthorized(error)) onSessionLost();
};

export const queryClient = new QueryClient({
  queryCache: new QueryCache({ onError: lost }),
  mutationCache: new MutationCache({ onError: lost }),
  defaultOptions: {
    queries: {
      staleTime: 10_000,
      // An answer the server gave on purpose (not found, forbidden, bad input) will not change on retry.
      retry: (count, error) => count < 2 && !(error instanceof TRPCClientError && error.data?.httpStatus && error.data.httpStatus < 500),
    },
  },
});

// Same origin: the session cookie rides along; no Authorization header is ever set by the panel.
const url = "/trpc";
export const trpcClient = createTRPCClient<AppRouter>({
  links: [
    splitLink({
      condition: (op) => op.type === "subscription",
      true: httpSubscriptionLink({ url }),
      false: httpBatchLink({ url, maxURLLength: 4000 }),
    }),
  ],
});

export const trpc = createTRPCOptionsProxy<AppRouter>({ client: trpcClient, queryClient });
