import { launchChromium } from "@canopy/api/testing/browser";
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, expect, it } from "vitest";
import { type Api, startApi } from "./harness";

/** Where the screenshot goes, to look at (CANOPY_DOCS_SCREENSHOT overrides). */
const SHOT = process.env.CANOPY_DOCS_SCREENSHOT ?? "/tmp/canopy-api-reference.png";

let api: Api;
let browser: Browser;
beforeAll(async () => {
  [browser, api] = await Promise.all([launchChromium(), startApi()]);
});
afterAll(async () => {
  await browser?.close();
  await api?.close();
});

it("shows the API reference at /docs with the network cut off: nothing is fetched from elsewhere", async () => {
  const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
  const elsewhere: string[] = [];
  await page.route("**/*", (route) => {
    const url = new URL(route.request().url());
    if (url.hostname === "127.0.0.1" || url.protocol === "data:" || url.protocol === "blob:") return route.continue();
    elsewhere.push(url.href);
    return route.abort();
  });
  const response = await page.goto(`${api.url}/docs`);
  expect(response?.status()).toBe(200);
  await page.getByText("Canopy API", { exact: false }).first().waitFor({ timeout: 30_000 });
  // The operations of the document, grouped by tag in the sidebar.
  await page.getByText("subscriptions", { exact: false }).first().waitFor({ timeout: 30_000 });
  await page.screenshot({ path: SHOT });
  expect(elsewhere).toEqual([]);
  await page.close();
}, 90_000);
