import { type Receiver, startReceiver } from "@canopy/api/testing";
import type { Browser, Locator, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { checkScreen, DESKTOP, heading, launchBrowser, navLink, PHONE, pagesOf, signIn } from "./browser";
import { type Stack, startStack } from "./stack";

let stack: Stack;
let browser: Browser;
const receivers: Receiver[] = [];
const pages = pagesOf(() => browser);
const newPage = pages.newPage;

// The retry schedule at 1/10,000: a delivery's 8 attempts are over in about 10 s (the 5-day
// disabling window becomes 43 s, longer than the test needs).
beforeAll(async () => {
  [stack, browser] = await Promise.all([startStack({ webhookRetryScale: 0.0001 }), launchBrowser()]);
});
afterAll(async () => {
  await pages.closeAll();
  await browser?.close();
  await Promise.all(receivers.map((r) => r.close()));
  await stack?.close();
});

/** Until no list on the screen is loading any more. */
const loaded = (page: Page) => expect.poll(() => page.getByRole("status").filter({ hasText: "Loading" }).count()).toBe(0);
const combobox = (page: Page, name: string) => page.getByRole("combobox", { name, exact: true });
/** How many lines an element's text takes: its line boxes, told apart by their tops. */
const linesOf = (element: Locator) =>
  element.evaluate((el) => {
    const range = document.createRange();
    range.selectNodeContents(el);
    return new Set([...range.getClientRects()].map((box) => Math.round(box.top))).size;
  });
/** What the panel shows for an instant in Berlin, as en-GB writes it. */
const berlin = (iso: string) =>
  new Intl.DateTimeFormat("en-GB", { dateStyle: "medium", timeStyle: "short", timeZone: "Europe/Berlin" }).format(new Date(iso));

async function operator() {
  const person = await stack.person(stack.api.providerId, "admin", "Olga Operator");
  const page = await newPage();
  await signIn(page, stack.url, person.email, person.password);
  return page;
}

describe("the provider's operator", () => {
  it("sees a reseller's delivery that gave up on Operations and retries it once the receiver answers again", async () => {
    const { api } = stack;
    let answer = 500;
    const receiver = await startReceiver({ answer: () => ({ status: answer, body: answer === 500 ? "down for maintenance" : "ok" }) });
    receivers.push(receiver);
    const reseller = await api.account("reseller", { name: "Northwind Resellers" });
    const url = `${receiver.url}/northwind`;
    const { endpoint } = await reseller.client.webhooks.endpoints.create.mutate({ url, eventTypes: ["account.statusChanged"] });
    const customer = await api.account("customer", { name: "Contoso Ltd", vendorId: reseller.account.id });
    await api.provider.accounts.setStatus.mutate({ id: customer.account.id, status: "creditHold" });

    // Every attempt answered 500: after the 8th the delivery is failed for good.
    await expect
      .poll(async () => (await reseller.client.webhooks.deliveries.list.query({ endpointId: endpoint.id })).items[0]?.status, {
        timeout: 60_000,
      })
      .toBe("failed");
    const [failed] = (await reseller.client.webhooks.deliveries.list.query({ endpointId: endpoint.id })).items;
    expect(failed).toMatchObject({ attempts: 8, lastStatus: 500, eventType: "account.statusChanged" });
    expect(receiver.requests).toBe(8);

    const page = await operator();
    await navLink(page, "Operations").click();
    await heading(page, "Operations").waitFor();
    await loaded(page);
    const deliveries = page.getByRole("region", { name: "Failed webhook deliveries" });
    const row = deliveries.locator(`tr[data-delivery-id="${failed!.id}"]`);
    await row.waitFor();
    const cells = await row.getByRole("cell").allTextContents();
    expect(cells.slice(0, 5)).toEqual([`Northwind Resellers${url}`, "account.statusChanged", "Failed", "8", "the receiver answered 500"]);
    // The owner's id on hover; the time in the viewer's zone.
    expect(await row.getByText("Northwind Resellers").getAttribute("title")).toBe(reseller.account.id);
    expect(cells[5]).toBe(berlin(failed!.createdAt));
    // The failed orders and the queue dashboard are still there.
    await page.getByRole("heading", { name: "Failed orders" }).waitFor();
    expect(await page.getByRole("link", { name: "Queue dashboard", exact: true }).getAttribute("href")).toBe("/admin/queues");
    // The owner-and-endpoint column squeezes the others: "Last answer" still reads on one line,
    // at 1280 px and in the table that scrolls inside its container at 375 px.
    const lastAnswer = deliveries.getByRole("columnheader", { name: "Last answer" });
    expect(await linesOf(lastAnswer)).toBe(1);
    await page.setViewportSize(PHONE);
    expect(await linesOf(lastAnswer)).toBe(1);
    await page.setViewportSize(DESKTOP);
    await checkScreen(page, "operations");

    // The receiver is back: Retry sends it again, and it succeeds.
    answer = 200;
    await row.getByRole("button", { name: /^Retry/ }).click();
    await page.getByText("The delivery is sent again.").waitFor();
    await expect.poll(() => receiver.requests, { timeout: 30_000 }).toBe(9);
    // It leaves the failed list...
    await row.waitFor({ state: "detached", timeout: 30_000 });
    // ...and shows as succeeded among the succeeded ones, a filter the URL keeps.
    await page.getByPlaceholder("Any status").click();
    await page.getByRole("option", { name: "Succeeded" }).click();
    await page.waitForURL((u) => u.searchParams.get("deliveries") === "succeeded");
    const succeeded = page.getByRole("region", { name: "Webhook deliveries" }).locator(`tr[data-delivery-id="${failed!.id}"]`);
    await succeeded.locator('[data-status="succeeded"]').waitFor({ timeout: 30_000 });
    expect((await succeeded.getByRole("cell").allTextContents())[3]).toBe("9");
    await page.reload();
    await heading(page, "Operations").waitFor();
    await succeeded.locator('[data-status="succeeded"]').waitFor();
    expect(await combobox(page, "Status").inputValue()).toBe("Succeeded");
    await checkScreen(page, "operations-succeeded");
  }, 180_000);
});

describe("list filters", () => {
  it("stay in the URL: a reload keeps the accounts', orders', events' and an endpoint's deliveries' filters", async () => {
    const { api } = stack;
    const reseller = await api.account("reseller", { name: "Fabrikam Partners" });
    await api.account("customer", { name: "Tailspin Toys", vendorId: reseller.account.id });
    const page = await operator();

    // Accounts: type and search.
    await navLink(page, "Accounts").click();
    await heading(page, "Accounts").waitFor();
    await loaded(page);
    await page.getByRole("cell", { name: "Fabrikam Partners" }).first().waitFor();
    await page.getByPlaceholder("Any type").click();
    await page.getByRole("option", { name: "Customer" }).click();
    await page.getByLabel("Search").fill("tailspin");
    await page.waitForURL((u) => u.searchParams.get("type") === "customer" && u.searchParams.get("q") === "tailspin");
    await page.reload();
    await heading(page, "Accounts").waitFor();
    await loaded(page);
    await page.getByRole("cell", { name: "Tailspin Toys" }).first().waitFor();
    expect(await page.getByRole("cell", { name: "Fabrikam Partners" }).count()).toBe(0);
    expect(await combobox(page, "Type").inputValue()).toBe("Customer");
    expect(await page.getByLabel("Search").inputValue()).toBe("tailspin");
    await checkScreen(page, "accounts-filtered");
    // Back to the unfiltered tree, forward to the filtered one: the history keeps what the URL holds.
    await page.goto(`${stack.url}/accounts?status=adminHold`);
    await loaded(page);
    expect(await combobox(page, "Status").inputValue()).toBe("Admin hold");
    await page.goBack();
    await loaded(page);
    expect(await combobox(page, "Type").inputValue()).toBe("Customer");
    // A value that is not a choice is dropped, not an error.
    await page.goto(`${stack.url}/accounts?type=planet`);
    await heading(page, "Accounts").waitFor();
    expect(await combobox(page, "Type").inputValue()).toBe("");

    // Orders: status.
    await navLink(page, "Orders").click();
    await heading(page, "Orders").waitFor();
    await page.getByPlaceholder("Any status").click();
    await page.getByRole("option", { name: "Error" }).click();
    await page.waitForURL((u) => u.searchParams.get("status") === "error");
    await page.reload();
    await heading(page, "Orders").waitFor();
    expect(await combobox(page, "Status").inputValue()).toBe("Error");
    await page.getByText("No error orders").waitFor();

    // Events: type.
    await navLink(page, "Event log").click();
    await heading(page, "Event log").waitFor();
    await combobox(page, "Event type").click();
    await page.getByRole("option", { name: "account.created", exact: true }).click();
    await page.waitForURL((u) => u.searchParams.get("type") === "account.created");
    await page.reload();
    await heading(page, "Event log").waitFor();
    await loaded(page);
    expect(await combobox(page, "Event type").inputValue()).toBe("account.created");
    const types = page.getByRole("region", { name: "Events" }).locator("tbody tr td:nth-child(2)");
    await types.first().waitFor();
    expect(new Set(await types.allTextContents())).toEqual(new Set(["account.created"]));

    // An endpoint's delivery log: status.
    const { endpoint } = await api.provider.webhooks.endpoints.create.mutate({ url: "http://127.0.0.1:9/unused" });
    await page.goto(`${stack.url}/webhooks/${endpoint.id}?status=failed`);
    await heading(page, "Webhook endpoint").waitFor();
    await loaded(page);
    expect(await combobox(page, "Status").inputValue()).toBe("Failed");
    await page.getByPlaceholder("Any status").click();
    await page.getByRole("option", { name: "Pending" }).click();
    await page.waitForURL((u) => u.searchParams.get("status") === "pending");
    await page.reload();
    await heading(page, "Webhook endpoint").waitFor();
    expect(await combobox(page, "Status").inputValue()).toBe("Pending");
  }, 180_000);
});
