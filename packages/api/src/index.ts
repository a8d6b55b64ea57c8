// The API contract: the router every front door serves and every client is typed from.

export {
  bearerToken,
  type Context,
  createContextFromHeader,
  createContextInner,
  requestCredential,
  SESSION_COOKIE,
  sessionCookie,
} from "./context";
export { type AppRouter, appRouter } from "./router";
export { createCallerFactory } from "./trpc";
