// The API contract: the router every front door serves and every client is typed from.

export {
  bearerToken,
  type Context,
  createContextFromHeaders,
  createContextInner,
  type RequestContextOptions,
  requestCredential,
  SESSION_COOKIE,
  sessionCookie,
} from "./context";
export { MAX_BATCH_CALLS } from "./limits";
export { openApiDocument, restError } from "./openapi";
export { withoutOutputValidation } from "./output-validation";
export { type AppRouter, appRouter } from "./router";
export { createCallerFactory, domainTrpcError } from "./trpc";
