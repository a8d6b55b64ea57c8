import { mkdirSync } from "node:fs";
import { join } from "node:path";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { launchBrowser, screenshotDir, signIn } from "./browser";
import { type Stack, startStack } from "./stack";

let stack: Stack;
let browser: Browser;

beforeAll(async () => {
  [stack, browser] = await Promise.all([startStack(), launchBrowser()]);
});
afterAll(async () => {
  await browser?.close();
  await stack?.close();
});

const live = (page: Page, state: "live" | "connecting") => page.locator(`[data-testid="live"][data-state="${state}"]`);
const orderRow = (page: Page, orderId: string) => page.getByRole("row").filter({ has: page.getByRole("link", { name: orderId }) });

describe("live updates in the panel", () => {
  it("shows an order placed elsewhere on the open orders list and follows it to completed, across a dropped stream, without a reload", async () => {
    const { api } = stack;
    const reseller = await api.account("reseller", { name: "Live Resellers" });
    const customer = await api.account("customer", { name: "Tailspin Toys", vendorId: reseller.account.id, as: reseller.client });
    const admin = await stack.person(reseller.account.id, "admin", "Lena Live");
    const product = await stack.product("Live Meeting Rooms");

    const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, timezoneId: "Europe/Berlin", locale: "en-GB" });
    try {
      const page = await context.newPage();
      page.setDefaultTimeout(15_000);
      await signIn(page, stack.url, admin.email, admin.password);
      await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Orders", exact: true }).click();
      await page.getByRole("heading", { level: 1, name: "Orders" }).waitFor();
      await page.getByText("No orders yet").waitFor();
      await live(page, "live").waitFor();
      // One stream for the session, opened with the session cookie (GET: the CSRF check lets it through).
      expect(stack.streamRequests).toHaveLength(1);
      expect(stack.streamRequests[0]).toMatchObject({ hasCookie: true, lastEventId: undefined });
      await page.evaluate(() => Object.assign(window, { stillTheSamePage: true }));

      // Placed through the API, outside the browser: the row appears and completes on its own.
      const first = await reseller.client.orders.place.mutate({
        accountId: customer.account.id,
        items: [{ mpn: product.mpn, quantity: 4 }],
      });
      await orderRow(page, first.id).waitFor();
      await orderRow(page, first.id).locator('[data-status="completed"]').waitFor({ timeout: 30_000 });
      // While the stream is live, the list does not poll: the events alone moved it.
      expect(await live(page, "live").count()).toBe(1);

      // The stream drops; the panel says so, reconnects by itself and resumes after the last event it saw.
      const { items: inReach } = await reseller.client.events.list.query({ limit: 50 });
      stack.dropStreams();
      await live(page, "connecting").waitFor();
      const second = await reseller.client.orders.place.mutate({
        accountId: customer.account.id,
        items: [{ mpn: product.mpn, quantity: 1 }],
      });
      await live(page, "live").waitFor({ timeout: 30_000 });
      expect(stack.streamRequests.length).toBeGreaterThanOrEqual(2);
      const resumed = stack.streamRequests.at(-1)!;
      expect(resumed.hasCookie).toBe(true);
      expect(inReach.map((e) => e.id)).toContain(resumed.lastEventId);
      await orderRow(page, second.id).locator('[data-status="completed"]').waitFor({ timeout: 30_000 });
      await orderRow(page, first.id).locator('[data-status="completed"]').waitFor();

      expect(await page.evaluate(() => (window as unknown as { stillTheSamePage?: boolean }).stillTheSamePage)).toBe(true);
      mkdirSync(screenshotDir, { recursive: true });
      await page.screenshot({ path: join(screenshotDir, "orders-live.desktop.png"), fullPage: true });
    } finally {
      await context.close();
    }
  }, 120_000);
});
