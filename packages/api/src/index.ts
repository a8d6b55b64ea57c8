// The API contract: the router every front door serves and every client is typed from.
export { appRouter, type AppRouter } from "./router";
export { createCallerFactory } from "./trpc";
export { bearerToken, type Context, createContextFromHeader, createContextInner } from "./context";
export { openApiDocument, restError } from "./openapi";
