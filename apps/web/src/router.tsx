import type { QueryClient } from "@tanstack/react-query";
import { createRootRouteWithContext, createRoute, createRouter, lazyRouteComponent, redirect } from "@tanstack/react-router";
import type { z } from "zod";
import { AppLayout } from "./components/AppLayout";
import { NotFound, RouteError } from "./components/States";
import type { Me } from "./lib/access";
import { allowed, type Need } from "./lib/access";
import { isUnauthorized } from "./lib/errors";
import {
  accountsSearch,
  billingSearch,
  endpointSearch,
  eventsSearch,
  operationsSearch,
  ordersSearch,
  searchOf,
  subscriptionsSearch,
} from "./lib/search";
import { SignInPage } from "./routes/sign-in/SignInPage";
import { queryClient, trpc } from "./trpc";

const rootRoute = createRootRouteWithContext<{ queryClient: QueryClient }>()({
  notFoundComponent: NotFound,
  errorComponent: RouteError,
});

const text = (value: unknown) => (typeof value === "string" && value.length > 0 ? value : undefined);

const signInRoute = createRoute({
  getParentRoute: () => rootRoute,
  path: "/sign-in",
  validateSearch: (search: Record<string, unknown>): { redirect?: string; reason?: string } => ({
    redirect: text(search.redirect),
    reason: text(search.reason),
  }),
  component: SignInPage,
});

/** Every screen but the sign-in page: the session must hold, or the visitor signs in first. */
const appRoute = createRoute({
  getParentRoute: () => rootRoute,
  id: "_app",
  beforeLoad: async ({ context, location }) => {
    try {
      const me = await context.queryClient.ensureQueryData(trpc.auth.me.queryOptions());
      return { me };
    } catch (error) {
      if (isUnauthorized(error)) throw redirect({ to: "/sign-in", search: { redirect: location.href, reason: undefined } });
      throw error;
    }
  },
  component: AppLayout,
});

const only =
  (need: Need) =>
  ({ context }: { context: { me: Me } }) => {
    if (!allowed(context.me, need)) throw redirect({ to: "/" });
  };

function screen<P extends string>(path: P, load: () => Promise<Record<string, unknown>>, name: string, need?: Need) {
  return createRoute({
    getParentRoute: () => appRoute,
    path,
    beforeLoad: need ? only(need) : undefined,
    component: lazyRouteComponent(load as never, name as never),
  });
}

/** A screen whose filters live in the URL: its search params are `schema`'s, parsed (searchOf). */
function listScreen<P extends string, S extends z.ZodType>(
  path: P,
  schema: S,
  load: () => Promise<Record<string, unknown>>,
  name: string,
  need?: Need,
) {
  return createRoute({
    getParentRoute: () => appRoute,
    path,
    beforeLoad: need ? only(need) : undefined,
    validateSearch: searchOf(schema),
    component: lazyRouteComponent(load as never, name as never),
  });
}

const dashboardRoute = screen("/", () => import("./routes/dashboard/DashboardPage"), "DashboardPage");
const profileRoute = screen("/profile", () => import("./routes/profile/ProfilePage"), "ProfilePage");
const accountRoute = screen("/account", () => import("./routes/account/AccountPage"), "AccountPage", "admin");
const accountsRoute = listScreen("/accounts", accountsSearch, () => import("./routes/accounts/AccountsPage"), "AccountsPage", "seller");
const accountDetailRoute = screen(
  "/accounts/$accountId",
  () => import("./routes/accounts/AccountDetailPage"),
  "AccountDetailPage",
  "admin",
);
const usersRoute = screen("/users", () => import("./routes/users/UsersPage"), "UsersPage", "admin");
const apiKeysRoute = screen("/api-keys", () => import("./routes/api-keys/ApiKeysPage"), "ApiKeysPage", "admin");
const catalogRoute = screen("/catalog", () => import("./routes/catalog/CatalogPage"), "CatalogPage", "admin");
const pricesRoute = screen("/prices", () => import("./routes/prices/PricesPage"), "PricesPage", "seller");
const ordersRoute = listScreen("/orders", ordersSearch, () => import("./routes/orders/OrdersPage"), "OrdersPage", "admin");
const newOrderRoute = createRoute({
  getParentRoute: () => appRoute,
  path: "/orders/new",
  beforeLoad: only("admin"),
  validateSearch: (search: Record<string, unknown>): { accountId?: string; mpn?: string } => ({
    accountId: text(search.accountId),
    mpn: text(search.mpn),
  }),
  component: lazyRouteComponent(() => import("./routes/orders/NewOrderPage"), "NewOrderPage"),
});
const orderDetailRoute = screen("/orders/$orderId", () => import("./routes/orders/OrderDetailPage"), "OrderDetailPage", "admin");
const subscriptionsRoute = listScreen(
  "/subscriptions",
  subscriptionsSearch,
  () => import("./routes/subscriptions/SubscriptionsPage"),
  "SubscriptionsPage",
);
const subscriptionDetailRoute = screen(
  "/subscriptions/$subscriptionId",
  () => import("./routes/subscriptions/SubscriptionDetailPage"),
  "SubscriptionDetailPage",
);
const webhooksRoute = screen("/webhooks", () => import("./routes/webhooks/WebhooksPage"), "WebhooksPage", "seller");
const endpointRoute = listScreen(
  "/webhooks/$endpointId",
  endpointSearch,
  () => import("./routes/webhooks/EndpointPage"),
  "EndpointPage",
  "seller",
);
const eventsRoute = listScreen("/events", eventsSearch, () => import("./routes/events/EventsPage"), "EventsPage", "admin");
const billingRoute = listScreen("/billing", billingSearch, () => import("./routes/billing/BillingPage"), "BillingPage", "admin");
const statementRoute = screen(
  "/billing/statements/$id",
  () => import("./routes/billing/StatementDetailPage"),
  "StatementDetailPage",
  "admin",
);
const operationsRoute = listScreen(
  "/operations",
  operationsSearch,
  () => import("./routes/operations/OperationsPage"),
  "OperationsPage",
  "provider",
);

const routeTree = rootRoute.addChildren([
  signInRoute,
  appRoute.addChildren([
    dashboardRoute,
    profileRoute,
    accountRoute,
    accountsRoute,
    accountDetailRoute,
    usersRoute,
    apiKeysRoute,
    catalogRoute,
    pricesRoute,
    ordersRoute,
    newOrderRoute,
    orderDetailRoute,
    subscriptionsRoute,
    subscriptionDetailRoute,
    webhooksRoute,
    endpointRoute,
    eventsRoute,
    billingRoute,
    statementRoute,
    operationsRoute,
  ]),
]);

export const router = createRouter({
  routeTree,
  context: { queryClient },
  defaultPreload: "intent",
  // Queries are cached by TanStack Query; the router need not cache loader results too.
  defaultPreloadStaleTime: 0,
  scrollRestoration: true,
});

declare module "@tanstack/react-router" {
  interface Register {
    router: typeof router;
  }
}
