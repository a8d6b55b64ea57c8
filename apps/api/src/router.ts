import { accountsRouter } from "./routers/accounts.router";
import { apiKeysRouter } from "./routers/apiKeys.router";
import { authRouter } from "./routers/auth.router";
import { eventsRouter } from "./routers/events.router";
import { usersRouter } from "./routers/users.router";
import { webhooksRouter } from "./routers/webhooks.router";
import { router } from "./trpc";

export const appRouter = router({
  auth: authRouter,
  accounts: accountsRouter,
  users: usersRouter,
  apiKeys: apiKeysRouter,
  events: eventsRouter,
  webhooks: webhooksRouter,
});

export type AppRouter = typeof appRouter;
