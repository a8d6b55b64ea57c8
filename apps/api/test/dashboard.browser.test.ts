import { launchChromium } from "@canopy/api/testing/browser";
import { queueNames } from "@canopy/domain/messaging";
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ADMIN, startDashboardApi } from "./dashboard-harness";

let api: Awaited<ReturnType<typeof startDashboardApi>>;
let browser: Browser;
beforeAll(async () => {
  [browser, api] = await Promise.all([launchChromium(), startDashboardApi()]);
});
afterAll(async () => {
  await browser?.close();
  await api?.close();
});

describe("queue dashboard in a browser", () => {
  it("shows every queue to the provider's admin after the login prompt", async () => {
    const context = await browser.newContext({ httpCredentials: { username: ADMIN.email, password: ADMIN.password } });
    const page = await context.newPage();
    const response = await page.goto(api.dashboardUrl);
    expect(response?.status()).toBe(200);
    for (const name of queueNames) await page.getByText(name, { exact: true }).first().waitFor();
    expect(await page.title()).toContain("Canopy queues");
    await context.close();
  });

  it("lets automation in with the provider's API key as the Basic password", async () => {
    const context = await browser.newContext({ httpCredentials: { username: "automation", password: api.providerKey } });
    const page = await context.newPage();
    expect((await page.goto(api.dashboardUrl))?.status()).toBe(200);
    await page.getByText(queueNames[0]!, { exact: true }).first().waitFor();
    await context.close();
  });

  it("refuses a browser without credentials: the login prompt is answered with nothing", async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    const challenged = page.waitForResponse((r) => r.url() === api.dashboardUrl);
    // Headless Chromium cannot show the prompt, so it gives up on the page after the challenge.
    await expect(page.goto(api.dashboardUrl)).rejects.toThrow(/ERR_INVALID_AUTH_CREDENTIALS/);
    const response = await challenged;
    expect(response.status()).toBe(401);
    expect(response.headers()["www-authenticate"]).toMatch(/^Basic realm=/);
    for (const name of queueNames) expect(await response.text()).not.toContain(name);
    await context.close();
  });
});

describe("queue dashboard offline", () => {
  it("loads nothing from outside the server: with every other host cut off the page renders in full", async () => {
    const context = await browser.newContext({ httpCredentials: { username: ADMIN.email, password: ADMIN.password } });
    const page = await context.newPage();
    const outside: string[] = [];
    const origin = new URL(api.dashboardUrl).origin;
    await page.route("**/*", (route) => {
      if (new URL(route.request().url()).origin === origin) return route.continue();
      outside.push(route.request().url());
      return route.abort("internetdisconnected");
    });
    expect((await page.goto(api.dashboardUrl))?.status()).toBe(200);
    for (const name of queueNames) await page.getByText(name, { exact: true }).first().waitFor();
    await page.waitForLoadState("networkidle");
    expect(outside).toEqual([]);
    expect(await page.content()).not.toContain("fonts.googleapis.com");
    await page.screenshot({ path: `${process.env.DASHBOARD_SCREENSHOT_DIR ?? "/tmp"}/canopy-dashboard-offline.png` });
    await context.close();
  });
});
