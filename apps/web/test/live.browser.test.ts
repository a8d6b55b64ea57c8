import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { type Receiver, startReceiver } from "@canopy/api/testing";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { launchBrowser, screenshotDir, signIn } from "./browser";
import { type Stack, startStack } from "./stack";

let stack: Stack;
let browser: Browser;
const receivers: Receiver[] = [];

beforeAll(async () => {
  [stack, browser] = await Promise.all([startStack(), launchBrowser()]);
});
afterAll(async () => {
  await browser?.close();
  await Promise.all(receivers.map((r) => r.close()));
  await stack?.close();
});

/** How often screens poll while the stream is down (lib/live.ts: LIVE_POLL_MS). */
const POLL_MS = 2000;
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

  it("re-reads a webhook delivery log only while the stream is down, or while a delivery on show is still pending", async () => {
    const { api } = stack;
    // The receiver turns the first message away and takes the rest: that delivery stays pending
    // until its retry, about 5 s later, which succeeds with no event of its own.
    const receiver = await startReceiver({ answer: (n) => (n === 1 ? { status: 500, body: "busy" } : { status: 204 }) });
    receivers.push(receiver);
    const reseller = await api.account("reseller", { name: "Quiet Resellers" });
    const customer = await api.account("customer", { name: "Adventure Works", vendorId: reseller.account.id });
    const { endpoint } = await reseller.client.webhooks.endpoints.create.mutate({
      url: `${receiver.url}/quiet`,
      eventTypes: ["account.statusChanged"],
    });
    const admin = await stack.person(reseller.account.id, "admin", "Paula Poll");

    const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, timezoneId: "Europe/Berlin", locale: "en-GB" });
    try {
      const page = await context.newPage();
      page.setDefaultTimeout(15_000);
      const reads: string[] = [];
      page.on("request", (r) => {
        if (r.url().includes("webhooks.deliveries.list")) reads.push(r.url());
      });
      /** The log's reads over three of the panel's poll intervals (lib/live.ts: LIVE_POLL_MS, 2 s). */
      const readsOverThreeIntervals = async () => {
        const before = reads.length;
        // An absence of requests can only be seen by waiting: three intervals would hold at least two polls.
        await page.waitForTimeout(3 * POLL_MS);
        return reads.length - before;
      };

      await signIn(page, stack.url, admin.email, admin.password);
      await page.goto(`${stack.url}/webhooks/${endpoint.id}`);
      await page.getByText("No deliveries").waitFor();
      await live(page, "live").waitFor();

      // An event while the stream is live: the log shows its delivery at once, pending after the
      // refused first attempt, and keeps reading until the retry has settled it.
      await api.provider.accounts.setStatus.mutate({ id: customer.account.id, status: "creditHold" });
      const row = page.getByTestId("delivery-log").locator("tbody tr").filter({ hasText: "account.statusChanged" });
      await row.locator('[data-status="pending"]').waitFor();
      await row.locator('[data-status="succeeded"]').waitFor({ timeout: 30_000 });
      expect(receiver.requests).toBe(2);

      // Nothing pending and the stream live: the log does not poll.
      expect(await readsOverThreeIntervals()).toBe(0);
      expect(await live(page, "live").count()).toBe(1);

      // The stream goes down and stays down: the log polls.
      await page.route("**/trpc/events.stream**", (route) => route.abort());
      stack.dropStreams();
      await page.locator('[data-testid="live"]:not([data-state="live"])').waitFor();
      expect(await readsOverThreeIntervals()).toBeGreaterThanOrEqual(2);

      // Back up: once the poll already under way is done, it stops again.
      await page.unroute("**/trpc/events.stream**");
      await live(page, "live").waitFor({ timeout: 30_000 });
      await readsOverThreeIntervals();
      expect(await readsOverThreeIntervals()).toBe(0);
    } finally {
      await context.close();
    }
  }, 120_000);
});
