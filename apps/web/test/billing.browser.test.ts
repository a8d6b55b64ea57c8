import { readFile } from "node:fs/promises";
import { rateCompletedOrder } from "@canopy/domain/billing";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { checkScreen, DESKTOP, heading, launchBrowser, mainNav, PHONE, pagesOf, signIn } from "./browser";
import { type Stack, startStack } from "./stack";

let stack: Stack;
let browser: Browser;
const pages = pagesOf(() => browser);
const newPage = pages.newPage;

beforeAll(async () => {
  [stack, browser] = await Promise.all([startStack(), launchBrowser()]);
});
afterAll(async () => {
  await pages.closeAll();
  await browser?.close();
  await stack?.close();
});

const loaded = (page: Page) => page.getByRole("status").filter({ hasText: "Loading" }).waitFor({ state: "detached" });
const combobox = (page: Page, name: string) => page.getByRole("combobox", { name, exact: true });

/**
 * At 375 px the table fits the screen: its region does not scroll sideways and the columns named
 * are on screen, the others left out; back at desktop width, every column is there again.
 */
async function fitsPhone(page: Page, table: string, shown: string[], leftOut: string[]) {
  const region = page.getByRole("region", { name: table });
  await page.setViewportSize(PHONE);
  try {
    await expect.poll(() => region.evaluate((el) => el.scrollWidth - el.clientWidth)).toBeLessThanOrEqual(0);
    for (const name of shown) {
      const box = await region.getByRole("columnheader", { name, exact: true }).boundingBox();
      expect(box, `${table}: ${name}`).not.toBeNull();
      expect(box!.x + box!.width, `${table}: ${name} on screen`).toBeLessThanOrEqual(PHONE.width);
    }
    for (const name of leftOut) expect(await region.getByRole("columnheader", { name, exact: true }).isVisible()).toBe(false);
  } finally {
    await page.setViewportSize(DESKTOP);
  }
  for (const name of [...shown, ...leftOut]) expect(await region.getByRole("columnheader", { name, exact: true }).isVisible()).toBe(true);
}

/**
 * provider → Northwind (reseller) → Contoso (customer); Contoso buys 3 licences at Northwind's
 * 15.00, which Northwind buys at the provider's 11.00. The worker completes the order; the
 * rating step is run here too (it is idempotent) so the lines exist before the page is opened.
 */
async function resellerWithARatedSale() {
  const { api } = stack;
  const reseller = await api.account("reseller", { name: "Northwind Resellers" });
  const customer = await api.account("customer", { name: "Contoso Ltd", vendorId: reseller.account.id });
  const product = await stack.product("Office Suite Business");
  await api.provider.prices.set.mutate({ mpn: product.mpn, price: { amount: 1100, currency: "USD" } });
  await reseller.client.prices.set.mutate({ mpn: product.mpn, price: { amount: 1500, currency: "USD" } });
  const order = await customer.client.orders.place.mutate({ items: [{ mpn: product.mpn, quantity: 3 }] });
  await expect.poll(async () => (await customer.client.orders.get.query({ id: order.id })).status, { timeout: 30_000 }).toBe("completed");
  await rateCompletedOrder(api.db, order.id);
  return { reseller, customer, product, order, subscriptionId: order.items[0]!.subscriptionId! };
}

describe("a reseller administrator", () => {
  it("reads its statements, opens the customer's, downloads its lines as CSV and sees its margin", async () => {
    const { reseller, product, subscriptionId } = await resellerWithARatedSale();
    const admin = await stack.person(reseller.account.id, "admin", "Rita Reseller");
    const month = new Date().toISOString().slice(0, 7);

    const page = await newPage();
    await signIn(page, stack.url, admin.email, admin.password);
    await mainNav(page).getByRole("link", { name: "Billing", exact: true }).click();
    await heading(page, "Billing").waitFor();
    await loaded(page);

    // Both sides: what Contoso owes Northwind (3 × 15.00) and what Northwind owes the provider (3 × 11.00).
    const customerRow = page.getByRole("row").filter({ hasText: "Contoso Ltd" });
    await expect.poll(() => customerRow.textContent()).toContain("$45.00");
    expect(await customerRow.textContent()).toContain("Northwind Resellers (yours)");
    expect(await customerRow.textContent()).toContain("Open");
    const ownRow = page.getByRole("row").filter({ hasText: "$33.00" });
    expect(await ownRow.count()).toBe(1);
    // The provider is above Northwind's reach: named by what it is to Northwind.
    expect(await ownRow.textContent()).toContain("Northwind Resellers (yours)Your vendor");
    // On a phone: the month, the buyer and the total, without scrolling sideways.
    await fitsPhone(page, "Statements", ["Month", "Buyer", "Total"], ["Vendor", "Status", "Lines"]);
    await checkScreen(page, "billing-statements");

    // The vendor side only: Northwind's own bill from the provider goes away.
    await page.getByPlaceholder("Owed and billed").click();
    await page.getByRole("option", { name: "What we bill" }).click();
    // Before: both rows; while the filtered page loads: neither; then only the customer's.
    await expect.poll(async () => [await ownRow.count(), await customerRow.count()]).toEqual([0, 1]);
    // The filters are in the URL: a reload keeps them.
    await combobox(page, "Status").click();
    await page.getByRole("option", { name: "Open" }).click();
    await page.waitForURL((u) => u.searchParams.get("side") === "vendor" && u.searchParams.get("status") === "open");
    await page.reload();
    await heading(page, "Billing").waitFor();
    await customerRow.waitFor();
    expect(await ownRow.count()).toBe(0);
    expect(await combobox(page, "Side").inputValue()).toBe("What we bill");
    expect(await combobox(page, "Status").inputValue()).toBe("Open");

    await customerRow.getByRole("link", { name: new RegExp(`^${month}: Contoso Ltd`) }).click();
    await heading(page, `Statement ${month}`).waitFor();
    // ...and so does Back from a statement.
    await page.goBack();
    await heading(page, "Billing").waitFor();
    await customerRow.waitFor();
    expect(await ownRow.count()).toBe(0);
    expect(await combobox(page, "Side").inputValue()).toBe("What we bill");
    await page.goForward();
    await heading(page, `Statement ${month}`).waitFor();
    await loaded(page);
    await expect.poll(() => page.getByTestId("statement-total").textContent()).toContain("$45.00");
    const line = page.getByRole("region", { name: "Rated lines" }).getByRole("row").filter({ hasText: product.mpn });
    await line.waitFor();
    // Northwind is the vendor of this line: it sees its own cost, the provider's 3 × 11.00.
    const cells = await line.getByRole("cell").allTextContents();
    expect(cells.slice(0, 4)).toEqual(["License", "0", product.mpn, "3"]);
    expect(cells[4]).toMatch(/^(\d+) of \1$/);
    expect(cells[5]).toContain("$45.00");
    expect(cells[6]).toContain("$33.00");
    const byKind = await page.getByRole("region", { name: "Totals by kind" }).getByRole("row").allTextContents();
    expect(byKind.some((r) => r.startsWith("License") && r.includes("$45.00"))).toBe(true);
    await checkScreen(page, "billing-statement");

    const [download] = await Promise.all([page.waitForEvent("download"), page.getByRole("button", { name: "Download CSV" }).click()]);
    expect(download.suggestedFilename()).toMatch(new RegExp(`^statement-${month}-.+\\.csv$`));
    const csv = await readFile((await download.path())!, "utf8");
    const rows = csv.trimEnd().split("\r\n");
    expect(rows).toHaveLength(2);
    const header = rows[0]!.split(",");
    const row = Object.fromEntries(rows[1]!.split(",").map((value, i) => [header[i], value]));
    expect(row).toMatchObject({
      kind: "license",
      tier: "0",
      mpn: product.mpn,
      subscriptionId,
      quantity: "3",
      priceAmount: "4500",
      priceCurrency: "USD",
      costAmount: "3300",
    });

    // Northwind's own statement: it is the buyer there, so the provider's cost is not its business.
    await page.getByRole("link", { name: "Billing" }).first().click();
    await heading(page, "Billing").waitFor();
    await page.getByRole("row").filter({ hasText: "$33.00" }).getByRole("link").click();
    await heading(page, `Statement ${month}`).waitFor();
    const ownLine = page.getByRole("region", { name: "Rated lines" }).getByRole("row").filter({ hasText: product.mpn });
    await ownLine.waitFor();
    const ownCells = await ownLine.getByRole("cell").allTextContents();
    expect(ownCells[1]).toBe("1");
    expect(ownCells[6]).toBe("—");

    // A value that is not one of the choices (a month out of the pickers' reach, a side that is
    // none) is dropped: both statements show.
    await page.goto(`${stack.url}/billing?month=1999-01&side=sideways`);
    await heading(page, "Billing").waitFor();
    await ownRow.waitFor();
    await customerRow.waitFor();
    expect(await combobox(page, "Month").inputValue()).toBe("");
    expect(await combobox(page, "Side").inputValue()).toBe("");

    // The margin: charged 45.00, paid 33.00, kept 12.00.
    await page.goto(`${stack.url}/billing`);
    await heading(page, "Billing").waitFor();
    await page.getByRole("tab", { name: "Margin" }).click();
    await page.waitForURL((u) => u.searchParams.get("tab") === "margin");
    const marginRow = page
      .getByRole("region", { name: `Margin per subscription, ${month}` })
      .getByRole("row")
      .filter({ hasText: product.mpn });
    await marginRow.waitFor();
    // The tab and its month are in the URL too: last month's report survives a reload...
    const monthName = (m: string) =>
      new Intl.DateTimeFormat("en-GB", { month: "long", year: "numeric", timeZone: "UTC" }).format(new Date(`${m}-01T00:00:00Z`));
    const now = new Date();
    const lastMonth = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - 1, 1)).toISOString().slice(0, 7);
    await combobox(page, "Month").click();
    await page.getByRole("option", { name: monthName(lastMonth) }).click();
    await page.waitForURL((u) => u.searchParams.get("marginMonth") === lastMonth);
    await page.getByText("Nothing billed this month").waitFor();
    await page.reload();
    await page.getByText("Nothing billed this month").waitFor();
    expect(await page.getByRole("tab", { name: "Margin" }).getAttribute("aria-selected")).toBe("true");
    expect(await combobox(page, "Month").inputValue()).toBe(monthName(lastMonth));
    // ...and a link to this month's opens it.
    await page.goto(`${stack.url}/billing?tab=margin&marginMonth=${month}`);
    await marginRow.waitFor();
    expect(await combobox(page, "Month").inputValue()).toBe(monthName(month));
    const margin = await marginRow.getByRole("cell").allTextContents();
    expect(margin[0]).toBe(subscriptionId);
    expect(margin[2]).toBe("Contoso Ltd");
    expect(margin.slice(3).map((c) => c.replace(/^US/, ""))).toEqual(["$45.00", "$33.00", "$12.00"]);
    const totals = await page
      .getByRole("region", { name: `Margin totals per currency, ${month}` })
      .getByRole("row")
      .allTextContents();
    expect(totals.some((r) => r.startsWith("USD") && r.includes("$12.00"))).toBe(true);
    // On a phone: who bought, what it was charged and the margin, without scrolling sideways.
    await fitsPhone(page, `Margin per subscription, ${month}`, ["Buyer", "Charged", "Margin"], ["Subscription", "MPN", "Paid"]);
    await fitsPhone(page, `Margin totals per currency, ${month}`, ["Currency", "Charged", "Margin"], ["Paid"]);
    await checkScreen(page, "billing-margin");
  }, 180_000);
});

describe("a service user", () => {
  it("is not offered Billing and is sent home when opening it by URL", async () => {
    const customer = await stack.api.account("customer", { name: "Fabrikam" });
    const worker = await stack.person(customer.account.id, "service", "Sam Service");
    const page = await newPage();
    await signIn(page, stack.url, worker.email, worker.password);
    await heading(page, "My subscriptions").waitFor();
    expect(await mainNav(page).getByRole("link").allTextContents()).not.toContain("Billing");
    await page.goto(`${stack.url}/billing`);
    await heading(page, "My subscriptions").waitFor();
    expect(new URL(page.url()).pathname).toBe("/");
  }, 60_000);
});

describe("a customer administrator", () => {
  it("sees what its account owes, without the margin report", async () => {
    const { customer } = await resellerWithARatedSale();
    const admin = await stack.person(customer.account.id, "admin", "Carla Customer");
    const page = await newPage();
    await signIn(page, stack.url, admin.email, admin.password);
    await mainNav(page).getByRole("link", { name: "Billing", exact: true }).click();
    await heading(page, "Billing").waitFor();
    await loaded(page);
    await expect.poll(() => page.getByRole("row").filter({ hasText: "Contoso Ltd (yours)" }).textContent()).toContain("$45.00");
    expect(await page.getByRole("tab", { name: "Margin" }).count()).toBe(0);
    await page.getByRole("row").filter({ hasText: "Contoso Ltd (yours)" }).getByRole("link").click();
    const line = page.getByRole("region", { name: "Rated lines" }).getByRole("row").filter({ hasText: "License" });
    await line.waitFor();
    // The buyer never sees its vendor's cost.
    expect((await line.getByRole("cell").allTextContents())[6]).toBe("—");
    await checkScreen(page, "billing-statement-customer");
  }, 120_000);
});
