// Test support for everything that talks to the API: a real server over a database of its own.

export { CHROMIUM, launchChromium } from "./browser";
export { provision, publishedProduct } from "./commerce-fixtures";
export { ADMIN, type Api, type CanopyClient, codeOf, errorCode, type Serve, type Served, serveStandalone, startApi } from "./harness";
export { type Answer, type ReceivedMessage, type Receiver, startReceiver } from "./webhook-receiver";
