import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { type Receiver, startReceiver } from "@canopy/api/testing";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { heading, launchBrowser, navLink, screenshotDir, signIn } from "./browser";
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

  it("shows the panel's own changes on the open list at once while the stream is down: a user, an API key, a price, a webhook endpoint, a subscription", async () => {
    const { api } = stack;
    const reseller = await api.account("reseller", { name: "Offline Resellers" });
    const admin = await stack.person(reseller.account.id, "admin", "Olga Offline");
    const product = await stack.product("Offline Backup");
    await api.provider.prices.set.mutate({ mpn: product.mpn, price: { amount: 1100, currency: "USD" } });
    // A subscription of a customer below the reseller, which the reseller's administrator may suspend and cancel.
    const customer = await api.account("customer", { name: "Offline Outfitters", vendorId: reseller.account.id, as: reseller.client });
    const service = await stack.product("Offline Mailboxes");
    const bought = await reseller.client.orders.place.mutate({
      accountId: customer.account.id,
      items: [{ mpn: service.mpn, quantity: 2 }],
    });
    await expect
      .poll(async () => (await reseller.client.subscriptions.list.query({ accountId: customer.account.id, limit: 5 })).items[0]?.status, {
        timeout: 30_000,
      })
      .toBe("active");

    const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, timezoneId: "Europe/Berlin", locale: "en-GB" });
    try {
      // The stream never gets through (a proxy that drops SSE): no event refreshes anything, and
      // these lists do not poll, so only the change's own refresh can show it.
      await context.route("**/trpc/events.stream**", (route) => route.abort());
      const streamsBefore = stack.streamRequests.length;
      const page = await context.newPage();
      page.setDefaultTimeout(15_000);
      /** Long enough for a re-read, far shorter than anything but the change's own refresh would take. */
      const atOnce = { timeout: 5_000 };
      const row = (text: string) => page.getByRole("row").filter({ hasText: text });
      await signIn(page, stack.url, admin.email, admin.password);
      await page.locator('[data-testid="live"]:not([data-state="live"])').waitFor();

      // Users: the new user is on the list behind the dialog as soon as it closes.
      await page.goto(`${stack.url}/users`);
      await row(admin.email).waitFor();
      await page.getByRole("button", { name: "Add user" }).first().click();
      const dialog = page.getByRole("dialog", { name: "Add user" });
      await dialog.getByLabel(/^Name/).fill("Uma Unplugged");
      await dialog.getByLabel(/^Email/).fill(`uma.${api.unique()}@example.com`);
      await dialog.getByRole("button", { name: "Add user" }).click();
      await page.getByText("Uma Unplugged is added.").waitFor();
      await row("Uma Unplugged").waitFor(atOnce);

      // API keys: the created key appears, and is gone once revoked (revoked keys are hidden).
      await page.goto(`${stack.url}/api-keys`);
      // The list holds the key the test harness signs its API calls with.
      await page.getByRole("region", { name: "API keys" }).waitFor();
      await page.getByLabel("Key name").fill("Offline sync");
      await page.getByRole("button", { name: "Create key" }).click();
      await page.getByTestId("secret").waitFor();
      await row("Offline sync").waitFor(atOnce);
      await row("Offline sync").getByRole("button", { name: "Revoke" }).click();
      await page.getByRole("dialog", { name: "Revoke Offline sync?" }).getByRole("button", { name: "Revoke" }).click();
      await page.getByText("Offline sync is revoked.").waitFor();
      await row("Offline sync").waitFor({ state: "detached", ...atOnce });

      // Prices: a new price shows on the list, and so does a change to it.
      await page.goto(`${stack.url}/prices`);
      await page.getByText("No prices of your own yet").waitFor();
      const setPrice = async (amount: string) => {
        await page.getByRole("combobox", { name: "Product", exact: true }).click();
        await page.getByRole("option", { name: new RegExp(product.mpn) }).click();
        await page.getByLabel("Your price", { exact: true }).fill(amount);
        await page.getByRole("button", { name: "Set price" }).click();
        await page.getByText(`Your price for ${product.mpn} is set.`).last().waitFor();
      };
      await setPrice("15.00");
      await row(product.mpn).filter({ hasText: "$15.00" }).waitFor(atOnce);
      await setPrice("17.50");
      await row(product.mpn).filter({ hasText: "$17.50" }).waitFor(atOnce);

      // Webhooks: an endpoint disabled on its own page shows disabled on the list it came from; once
      // deleted, the panel lands on that list without it.
      const hook = `http://127.0.0.1:9/offline-${api.unique()}`;
      await navLink(page, "Webhooks").click();
      await page.getByLabel("URL").fill(hook);
      await page.getByRole("button", { name: "Add endpoint" }).click();
      await row(hook).locator('[data-status="enabled"]').waitFor(atOnce);
      await page.getByRole("link", { name: hook }).click();
      await heading(page, "Webhook endpoint").waitFor();
      await page.getByRole("button", { name: "Disable" }).first().click();
      await page.getByRole("dialog", { name: "Disable this endpoint?" }).getByRole("button", { name: "Disable" }).click();
      await page.getByText("The endpoint is disabled.").waitFor();
      // Back without a reload, while the list read when the endpoint was added is still fresh.
      await navLink(page, "Webhooks").click();
      await row(hook).locator('[data-status="disabled"]').waitFor(atOnce);
      await page.getByRole("link", { name: hook }).click();
      await heading(page, "Webhook endpoint").waitFor();
      await page.getByRole("button", { name: "Delete" }).first().click();
      await page.getByRole("dialog", { name: "Delete this endpoint?" }).getByRole("button", { name: "Delete endpoint" }).click();
      await heading(page, "Webhooks").waitFor();
      await row(hook).waitFor({ state: "detached", ...atOnce });

      // Subscriptions: suspended on its own page, it shows suspended on the list read just before
      // (still fresh, and polling nothing), without a reload.
      const subscriptionRow = row(service.mpn);
      await navLink(page, "Subscriptions").click();
      await heading(page, "Subscriptions").waitFor();
      await subscriptionRow.locator('[data-status="active"]').waitFor();
      await page.getByRole("link", { name: service.mpn }).click();
      await heading(page, service.mpn).waitFor();
      await page.getByRole("button", { name: "Suspend" }).first().click();
      await page.getByRole("dialog", { name: "Suspend this subscription?" }).getByRole("button", { name: "Suspend" }).click();
      await page.getByText("Suspension requested.").waitFor();
      await navLink(page, "Subscriptions").click();
      // The worker carries the request out moments later: the list, re-read, follows it there.
      await subscriptionRow.locator('[data-status="suspended"]').waitFor({ timeout: 10_000 });
      // Cancelled, its cancellation order shows on the orders list read just before.
      await page.getByRole("link", { name: service.mpn }).click();
      await heading(page, service.mpn).waitFor();
      await navLink(page, "Orders").click();
      await page.getByRole("link", { name: bought.id }).waitFor();
      await page.goBack();
      await heading(page, service.mpn).waitFor();
      await page.getByRole("button", { name: "Cancel subscription" }).first().click();
      await page.getByRole("dialog", { name: "Cancel this subscription?" }).getByRole("button", { name: "Cancel subscription" }).click();
      await page.getByText("Cancellation order placed.").waitFor();
      await navLink(page, "Orders").click();
      await row("Cancellation").waitFor(atOnce);

      // None of it came through the stream: it never opened.
      expect(await page.locator('[data-testid="live"][data-state="live"]').count()).toBe(0);
      expect(stack.streamRequests.length).toBe(streamsBefore);
      mkdirSync(screenshotDir, { recursive: true });
      await page.screenshot({ path: join(screenshotDir, "prices-offline.desktop.png"), fullPage: true });
    } finally {
      await context.close();
    }
  }, 120_000);
});
