// Test support for everything that talks to the API: a real server over a database of its own.

// The browser launcher is its own entry (@canopy/api/testing/browser): loading playwright-core
// into a process keeps its Fastify servers from closing, so only browser tests should load it.
export { provision, publishedProduct } from "./commerce-fixtures";
export { ADMIN, type Api, type CanopyClient, codeOf, errorCode, type Serve, type Served, serveStandalone, startApi } from "./harness";
export { type Answer, type ReceivedMessage, type Receiver, startReceiver } from "./webhook-receiver";
