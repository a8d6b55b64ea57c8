import { type Receiver, startReceiver } from "@canopy/api/testing";
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { checkScreen, heading, launchBrowser, navLink, pagesOf, signIn } from "./browser";
import { type Stack, startForeignSite, startStack } from "./stack";

let stack: Stack;
let browser: Browser;
let receiver: Receiver;
const pages = pagesOf(() => browser);
const newPage = pages.newPage;

beforeAll(async () => {
  [stack, browser, receiver] = await Promise.all([startStack(), launchBrowser(), startReceiver()]);
});
afterAll(async () => {
  await pages.closeAll();
  await browser?.close();
  await receiver?.close();
  await stack?.close();
});

describe("a reseller administrator", () => {
  it("creates a customer, orders for it through the wizard, watches the order complete, changes the quantity and sees a webhook delivery", async () => {
    const { api } = stack;
    const reseller = await api.account("reseller", { name: "Northwind Resellers" });
    const admin = await stack.person(reseller.account.id, "admin", "Rita Reseller");
    const product = await stack.product("Office Suite Business");
    await api.provider.prices.set.mutate({ mpn: product.mpn, price: { amount: 1100, currency: "USD" } });
    await reseller.client.prices.set.mutate({ mpn: product.mpn, price: { amount: 1500, currency: "USD" } });

    const page = await newPage();
    await signIn(page, stack.url, admin.email, admin.password);
    await heading(page, /Welcome, Rita Reseller/).waitFor();
    await checkScreen(page, "dashboard");

    // Accounts: create a customer.
    await navLink(page, "Accounts").click();
    await heading(page, "Accounts").waitFor();
    await page.getByText("No accounts below yours yet").waitFor();
    await checkScreen(page, "accounts-empty");
    await page.getByRole("button", { name: "Create account" }).first().click();
    const dialog = page.getByRole("dialog", { name: "Create account" });
    await dialog.getByRole("button", { name: "Create" }).click();
    // Validation next to the fields, nothing sent.
    await dialog.getByText("Enter a name").waitFor();
    await dialog.getByText("Two capital letters, such as US or DE").waitFor();
    await checkScreen(page, "accounts-create");
    await dialog.getByLabel(/^Name/).fill("Contoso Ltd");
    await dialog.getByLabel("Contact email").fill("it@contoso.example");
    await dialog.getByLabel("Country").fill("DE");
    await dialog.getByRole("button", { name: "Create" }).click();
    await heading(page, "Contoso Ltd").waitFor();
    const customerId = new URL(page.url()).pathname.split("/").pop()!;
    expect(customerId).toMatch(/^acc_/);
    await checkScreen(page, "account-detail");

    // The wizard: estimate first, then place.
    await page.goto(`${stack.url}/orders/new?accountId=${customerId}`);
    await heading(page, "New order").waitFor();
    await page.getByPlaceholder("Choose a product").click();
    await page.getByRole("option", { name: new RegExp(product.mpn) }).click();
    await page.getByLabel("Quantity").fill("3");
    await checkScreen(page, "order-wizard-what");
    await page.getByRole("button", { name: "Review price" }).click();
    // The reseller's own price for its customer: 3 × 15.00.
    await expect.poll(() => page.getByTestId("estimate-total").textContent()).toContain("$45.00");
    await checkScreen(page, "order-wizard-price");
    await page.evaluate(() => Object.assign(window, { stillTheSamePage: true }));
    await page.getByRole("button", { name: "Place order" }).click();
    await heading(page, "Sales order").waitFor();
    // The worker provisions it; the page follows without a reload.
    await page.locator('[data-status="completed"]').first().waitFor({ timeout: 30_000 });
    expect(await page.evaluate(() => (window as unknown as { stillTheSamePage?: boolean }).stillTheSamePage)).toBe(true);
    await page.getByText("Completed", { exact: true }).last().waitFor();
    await checkScreen(page, "order-detail");

    // The subscription: change its quantity.
    await page.getByRole("link", { name: /^sub_/ }).click();
    await heading(page, product.mpn).waitFor();
    await expect.poll(() => page.getByTestId("quantity").textContent()).toBe("3");
    await page.getByLabel("New quantity").fill("5");
    await page.getByRole("button", { name: "Place change order" }).click();
    await page.getByText("Change order placed").waitFor();
    await expect.poll(() => page.getByTestId("quantity").textContent(), { timeout: 30_000 }).toBe("5");
    await checkScreen(page, "subscription-detail");

    // Webhooks: an endpoint at a local receiver, its secret shown once, a delivery in the log.
    await navLink(page, "Webhooks").click();
    await heading(page, "Webhooks").waitFor();
    await page.getByLabel("URL").fill(`${receiver.url}/canopy`);
    await page.getByRole("button", { name: "Add endpoint" }).click();
    const secret = await page.getByTestId("secret").textContent();
    expect(secret).toMatch(/^whsec_/);
    receiver.secrets.push(secret!);
    await checkScreen(page, "webhooks");
    await page.getByRole("button", { name: "I have stored it" }).click();
    await expect(page.getByTestId("secret").count()).resolves.toBe(0);
    await page.getByRole("link", { name: `${receiver.url}/canopy` }).click();
    await heading(page, "Webhook endpoint").waitFor();
    // A real event after registration: putting the customer on credit hold.
    await api.provider.accounts.setStatus.mutate({ id: customerId, status: "creditHold" });
    const log = page.getByTestId("delivery-log");
    await log.getByText("account.statusChanged").waitFor({ timeout: 30_000 });
    await log.locator('[data-status="succeeded"]').first().waitFor({ timeout: 30_000 });
    await log.getByRole("button", { name: "Attempts" }).first().click();
    await log
      .getByText(/HTTP 204 · \d+ ms/)
      .first()
      .waitFor();
    expect(receiver.messages.some((m) => m.body.type === "account.statusChanged" && m.verifiedWith.length === 1)).toBe(true);
    await checkScreen(page, "webhook-endpoint");

    // The remaining screens of an administrator, each checked and photographed.
    for (const [path, title, name] of [
      ["/orders", "Orders", "orders"],
      ["/subscriptions", "Subscriptions", "subscriptions"],
      ["/users", "Users", "users"],
      ["/api-keys", "API keys", "api-keys"],
      ["/catalog", "Catalog", "catalog"],
      ["/prices", "Prices", "prices"],
      ["/events", "Event log", "events"],
      ["/account", "My account", "my-account"],
      ["/profile", "My profile", "profile"],
    ] as const) {
      await page.goto(`${stack.url}${path}`);
      await heading(page, title).waitFor();
      await page.getByRole("status").filter({ hasText: "Loading" }).waitFor({ state: "detached" });
      await checkScreen(page, name);
    }
    // The prices screen shows the margin over what the reseller pays its vendor: 15.00 − 11.00.
    await page.goto(`${stack.url}/prices`);
    await page.getByText("$4.00 (26.7%)").waitFor();

    // An API key, shown once with a copy button.
    await page.goto(`${stack.url}/api-keys`);
    await page.getByLabel("Key name").fill("Billing integration");
    await page.getByRole("button", { name: "Create key" }).click();
    expect(await page.getByTestId("secret").textContent()).not.toBe("");
    await page.getByRole("button", { name: "Copy" }).waitFor();
  }, 300_000);
});

describe("the dashboard", () => {
  it("opens the list each figure counts, filtered as it counts: Active subscriptions, Orders in progress, Failed orders", async () => {
    const customer = await stack.api.account("customer", { name: "Wingtip Toys" });
    const admin = await stack.person(customer.account.id, "admin", "Dana Dashboard");
    const product = await stack.product("Team Chat");
    const failing = await stack.failingProduct("Unreachable Suite");
    const completed = await customer.client.orders.place.mutate({ items: [{ mpn: product.mpn, quantity: 1 }] });
    const failed = await customer.client.orders.place.mutate({ items: [{ mpn: failing.mpn, quantity: 1 }] });
    for (const [order, status] of [
      [completed, "completed"],
      [failed, "error"],
    ] as const) {
      await expect.poll(async () => (await customer.client.orders.get.query({ id: order.id })).status, { timeout: 30_000 }).toBe(status);
    }

    const page = await newPage();
    await signIn(page, stack.url, admin.email, admin.password);
    await heading(page, /Welcome, Dana Dashboard/).waitFor();
    const figure = page.getByRole("link").filter({ hasText: "Failed orders" });
    await expect.poll(() => figure.textContent()).toBe("Failed orders1");
    expect(await figure.getAttribute("href")).toBe("/orders?status=error");
    // The list a figure opened: its heading, and its Status filter in the URL and in the picker.
    const listedAs = async (list: string, status: string, label: string) => {
      await heading(page, list).waitFor();
      expect(new URL(page.url()).searchParams.get("status")).toBe(status);
      expect(await page.getByRole("combobox", { name: "Status", exact: true }).inputValue()).toBe(label);
    };
    // Orders in progress counts the processing orders (none by now): it opens the list of those.
    const running = page.getByRole("link").filter({ hasText: "Orders in progress" });
    await expect.poll(() => running.textContent()).toBe("Orders in progress0");
    expect(await running.getAttribute("href")).toBe("/orders?status=processing");
    await running.click();
    await listedAs("Orders", "processing", "Processing");
    await page.getByText("No processing orders").waitFor();
    await page.goBack();
    await heading(page, /Welcome, Dana Dashboard/).waitFor();
    await figure.click();
    await listedAs("Orders", "error", "Error");
    await page.getByRole("link", { name: failed.id }).waitFor();
    // Exactly the failed orders: the completed one is not among them.
    expect(await page.getByRole("region", { name: "Orders" }).locator("tbody tr").count()).toBe(1);
    expect(await page.getByRole("link", { name: completed.id }).count()).toBe(0);

    // Active subscriptions counts the active ones (the completed order's; a suspended one is not
    // counted): it opens the subscriptions list filtered to those, and a reload keeps the filter.
    const other = await stack.product("Team Storage");
    const held = await customer.client.orders.place.mutate({ items: [{ mpn: other.mpn, quantity: 1 }] });
    await expect.poll(async () => (await customer.client.orders.get.query({ id: held.id })).status, { timeout: 30_000 }).toBe("completed");
    const { items } = await customer.client.subscriptions.list.query({ mpn: other.mpn, limit: 5 });
    await stack.api.provider.subscriptions.suspend.mutate({ id: items[0]!.id });
    await expect
      .poll(async () => (await customer.client.subscriptions.get.query({ id: items[0]!.id })).status, { timeout: 30_000 })
      .toBe("suspended");
    await page.goto(stack.url);
    await heading(page, /Welcome, Dana Dashboard/).waitFor();
    const active = page.getByRole("link").filter({ hasText: "Active subscriptions" });
    await expect.poll(() => active.textContent()).toBe("Active subscriptions1");
    expect(await active.getAttribute("href")).toBe("/subscriptions?status=active");
    await active.click();
    const onlyActive = async () => {
      await listedAs("Subscriptions", "active", "Active");
      await page.getByRole("link", { name: product.mpn }).waitFor();
      expect(await page.getByRole("region", { name: "Subscriptions" }).locator("tbody tr").count()).toBe(1);
      expect(await page.getByRole("link", { name: other.mpn }).count()).toBe(0);
    };
    await onlyActive();
    await page.reload();
    await onlyActive();
  }, 120_000);
});

describe("a service user", () => {
  it("sees their profile and the subscriptions they hold a seat on, nothing else", async () => {
    const { api } = stack;
    const customer = await api.account("customer", { name: "Fabrikam" });
    const product = await stack.product("Backup Vault");
    const worker = await stack.person(customer.account.id, "service", "Sam Service");
    const seated = await customer.client.orders.place.mutate({ items: [{ mpn: product.mpn, quantity: 2 }] });
    const other = await customer.client.orders.place.mutate({ items: [{ mpn: product.mpn, quantity: 1 }] });
    const seatedSub = seated.items[0]!.subscriptionId!;
    const otherSub = other.items[0]!.subscriptionId!;
    await expect
      .poll(async () => (await customer.client.subscriptions.get.query({ id: seatedSub })).status, { timeout: 30_000 })
      .toBe("active");
    await customer.client.subscriptions.assignUser.mutate({ id: seatedSub, userId: worker.user.id });

    const page = await newPage();
    await signIn(page, stack.url, worker.email, worker.password);
    await heading(page, "My subscriptions").waitFor();
    await page.getByRole("link", { name: product.mpn }).waitFor();
    expect(await page.getByRole("link", { name: product.mpn }).count()).toBe(1);
    await expect(page.getByRole("link", { name: product.mpn }).getAttribute("href")).resolves.toBe(`/subscriptions/${seatedSub}`);
    const nav = page.getByRole("navigation", { name: "Main" });
    expect(await nav.getByRole("link").allTextContents()).toEqual(["My subscriptions", "My profile"]);
    await checkScreen(page, "service-user-home");

    // Administrators' screens send them home; the other subscription is not there by URL either.
    await page.goto(`${stack.url}/accounts`);
    await heading(page, "My subscriptions").waitFor();
    await page.goto(`${stack.url}/subscriptions/${otherSub}`);
    await page.getByText("Not found, or not within your reach.").waitFor();
    await page.goto(`${stack.url}/subscriptions/${seatedSub}`);
    await heading(page, product.mpn).waitFor();
    expect(await page.getByRole("button", { name: /Suspend|Cancel subscription|Place change order/ }).count()).toBe(0);
    await checkScreen(page, "service-user-subscription");
  }, 120_000);
});

describe("a customer administrator", () => {
  it("cannot reach a sibling customer, through the navigation or by editing the URL", async () => {
    const { api } = stack;
    const mine = await api.account("customer", { name: "Adatum" });
    const sibling = await api.account("customer", { name: "Litware" });
    const product = await stack.product("Mail Archive");
    const siblingOrder = await sibling.client.orders.place.mutate({ items: [{ mpn: product.mpn, quantity: 1 }] });
    const admin = await stack.person(mine.account.id, "admin", "Carla Customer");

    const page = await newPage();
    await signIn(page, stack.url, admin.email, admin.password);
    await heading(page, /Welcome, Carla Customer/).waitFor();
    const nav = page.getByRole("navigation", { name: "Main" });
    expect(await nav.getByRole("link", { name: "Accounts" }).count()).toBe(0);
    expect(await nav.getByRole("link", { name: "Webhooks" }).count()).toBe(0);

    await page.goto(`${stack.url}/accounts/${sibling.account.id}`);
    await page.getByText("Not found, or not within your reach.").waitFor();
    expect(await page.getByText("Litware").count()).toBe(0);
    await page.goto(`${stack.url}/orders/${siblingOrder.id}`);
    await page.getByText("Not found, or not within your reach.").waitFor();
    await page.goto(`${stack.url}/orders`);
    await heading(page, "Orders").waitFor();
    await page.getByText("No orders yet").waitFor();
    expect(await page.getByText(siblingOrder.id).count()).toBe(0);
  });
});

describe("signing in and out", () => {
  it("says so on a wrong password, shows the throttle's message, signs out and ends expired sessions", async () => {
    const { api } = stack;
    const customer = await api.account("customer");
    const person = await stack.person(customer.account.id, "admin", "Tess Throttle");
    const page = await newPage();

    await page.goto(`${stack.url}/orders`);
    await page.waitForURL(/\/sign-in\?redirect=/);
    await checkScreen(page, "sign-in");
    await page.getByRole("button", { name: "Sign in" }).click();
    await page.getByText("Enter the email address you sign in with").waitFor();

    await page.getByLabel("Email").fill(person.email);
    await page.locator("input[autocomplete=current-password]").fill("not the password");
    await page.getByRole("button", { name: "Sign in" }).click();
    await page.getByText("The email or password is wrong.").waitFor();
    await checkScreen(page, "sign-in-wrong-password");

    // The right password after a wrong one, back to where the visitor was going.
    await page.locator("input[autocomplete=current-password]").fill(person.password);
    await page.getByRole("button", { name: "Sign in" }).click();
    await heading(page, "Orders").waitFor();
    const cookie = (await page.context().cookies()).find((c) => c.name === "canopy_session");
    expect(cookie).toMatchObject({ httpOnly: true, sameSite: "Lax", path: "/" });
    expect(await page.evaluate(() => document.cookie)).not.toContain("canopy_session");

    // Signing out ends the session on the server too.
    await page.getByRole("button", { name: "Sign out" }).click();
    await page.getByText("You are signed out.").waitFor();
    const reuse = await fetch(`${stack.url}/trpc/auth.me`, { headers: { cookie: `canopy_session=${cookie!.value}` } });
    expect(reuse.status).toBe(401);
    await page.goto(`${stack.url}/`);
    await page.getByRole("button", { name: "Sign in" }).waitFor();
    expect(new URL(page.url()).pathname).toBe("/sign-in");

    // An expired session sends the person to the sign-in page with a word why.
    await signIn(page, stack.url, person.email, person.password);
    await heading(page, /Welcome/).waitFor();
    await stack.expireSessions(person.user.id);
    // The panel's next request finds the session gone: this click, or the reads its live stream
    // makes when the API ends that stream with the session, whichever comes first (the click
    // then finds the navigation gone with the page).
    const ended = page.getByText("Your session has ended. Sign in again to continue.");
    await Promise.race([
      ended.waitFor(),
      navLink(page, "Subscriptions")
        .click()
        .catch(() => {}),
    ]);
    await ended.waitFor();
    expect(new URL(page.url()).pathname).toBe("/sign-in");

    // Ten wrong passwords close the email to sign-ins for a while, and the page says so.
    for (let i = 0; i < 10; i++) {
      const answer = await fetch(`${stack.url}/session`, {
        method: "POST",
        headers: { "content-type": "application/json", origin: stack.url },
        body: JSON.stringify({ email: person.email, password: `wrong-${i}` }),
      });
      expect(answer.status).toBe(401);
    }
    await page.getByLabel("Email").fill(person.email);
    await page.locator("input[autocomplete=current-password]").fill(person.password);
    await page.getByRole("button", { name: "Sign in" }).click();
    await page.getByText("Too many attempts").waitFor();
    await page.getByText(/too many failed logins/i).waitFor();
    await checkScreen(page, "sign-in-throttled");
  }, 180_000);

  it("refuses a state-changing request that carries the cookie from another origin", async () => {
    const { api } = stack;
    const reseller = await api.account("reseller");
    const person = await stack.person(reseller.account.id, "admin", "Cody Csrf");
    const page = await newPage();
    await signIn(page, stack.url, person.email, person.password);
    await heading(page, /Welcome/).waitFor();

    // A page of another origin on the same site (another port of 127.0.0.1): the browser sends
    // the SameSite=Lax cookie along with its POST, so only the Origin check stands in the way.
    const evil = await startForeignSite();
    try {
      await page.goto(`${evil.url}/`);
      const attempt = page.waitForResponse((r) => r.url().includes("/trpc/accounts.create"));
      await page.evaluate(async (target) => {
        await fetch(`${target}/trpc/accounts.create`, {
          method: "POST",
          mode: "no-cors",
          credentials: "include",
          headers: { "content-type": "text/plain" },
          body: JSON.stringify({ type: "customer", name: "Forged", contact: { email: "x@example.com" }, address: { country: "DE" } }),
        }).catch(() => undefined);
      }, stack.url);
      const response = await attempt;
      // 403 and not 401: the cookie did come along (without it the request is merely anonymous),
      // and the Origin check refused it before any procedure ran.
      expect(response.status()).toBe(403);
    } finally {
      await evil.close();
    }
    const accounts = await reseller.client.accounts.list.query({});
    expect(accounts.items.map((a) => a.name)).not.toContain("Forged");

    // The same request from the panel's own origin goes through.
    await page.goto(`${stack.url}/`);
    const ok = await page.evaluate(async () => {
      const answer = await fetch("/trpc/accounts.create", {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ type: "customer", name: "Genuine", contact: { email: "y@example.com" }, address: { country: "DE" } }),
      });
      return answer.status;
    });
    expect(ok).toBe(200);
  });
});
