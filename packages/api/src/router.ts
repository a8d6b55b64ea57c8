import { accountsRouter } from "./routers/accounts.router";
import { apiKeysRouter } from "./routers/api-keys.router";
import { authRouter } from "./routers/auth.router";
import { billingRouter } from "./routers/billing.router";
import { eventsRouter } from "./routers/events.router";
import { ordersRouter } from "./routers/orders.router";
import { pricesRouter } from "./routers/prices.router";
import { productsRouter } from "./routers/products.router";
import { subscriptionsRouter } from "./routers/subscriptions.router";
import { usageRouter } from "./routers/usage.router";
import { usersRouter } from "./routers/users.router";
import { webhooksRouter } from "./routers/webhooks.router";
import { router } from "./trpc";

export const appRouter = router({
  auth: authRouter,
  accounts: accountsRouter,
  users: usersRouter,
  apiKeys: apiKeysRouter,
  events: eventsRouter,
  products: productsRouter,
  prices: pricesRouter,
  orders: ordersRouter,
  subscriptions: subscriptionsRouter,
  webhooks: webhooksRouter,
  billing: billingRouter,
  usage: usageRouter,
});

export type AppRouter = typeof appRouter;
