import { accountsRouter } from "./routers/accounts.router";
import { apiKeysRouter } from "./routers/apiKeys.router";
import { authRouter } from "./routers/auth.router";
import { eventsRouter } from "./routers/events.router";
import { usersRouter } from "./routers/users.router";
import { router } from "./trpc";

export const appRouter = router({
  auth: authRouter,
  accounts: accountsRouter,
  users: usersRouter,
  apiKeys: apiKeysRouter,
  events: eventsRouter,
});

export type AppRouter = typeof appRouter;
