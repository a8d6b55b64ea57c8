import { mkdirSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import type { Browser, BrowserContext, Page, Request } from "playwright-core";
import { expect } from "vitest";

// Debian's chromium, driven by playwright-core (no browser download), launched one way everywhere.
export { launchChromium as launchBrowser } from "@canopy/api/testing/browser";

export const screenshotDir = join(dirname(fileURLToPath(import.meta.url)), "screenshots");
const axeSource = readFileSync(createRequire(import.meta.url).resolve("axe-core/axe.min.js"), "utf8");

export const DESKTOP = { width: 1280, height: 800 };
export const PHONE = { width: 375, height: 740 };

/**
 * Pages for one test file, each in a browser context of its own (its own cookies: one signed-in
 * person per page), at desktop size, in Berlin's time zone and British English, so that times and
 * amounts read the same on every machine. `closeAll` in `afterAll`.
 */
export function pagesOf(browser: () => Browser) {
  const contexts: BrowserContext[] = [];
  return {
    async newPage(): Promise<Page> {
      const context = await browser().newContext({
        viewport: DESKTOP,
        timezoneId: "Europe/Berlin",
        locale: "en-GB",
        acceptDownloads: true,
      });
      contexts.push(context);
      const page = await context.newPage();
      page.setDefaultTimeout(15_000);
      return page;
    },
    async closeAll() {
      for (const context of contexts) await context.close().catch(() => {});
    },
  };
}

/** The screen's title. */
export const heading = (page: Page, name: string | RegExp) => page.getByRole("heading", { level: 1, name });
/** The panel's main navigation, and one of its links. */
export const mainNav = (page: Page) => page.getByRole("navigation", { name: "Main" });
export const navLink = (page: Page, name: string) => mainNav(page).getByRole("link", { name, exact: true });

const openRequests = new WeakMap<Page, Set<Request>>();

/**
 * The page's requests still open, watched from the first call on. The panel's event stream never
 * ends, so it is left out: with it open, Playwright's "networkidle" would never come.
 */
function watchRequests(page: Page): Set<Request> {
  let open = openRequests.get(page);
  if (!open) {
    const requests = new Set<Request>();
    page.on("request", (r) => {
      if (!r.url().includes("/trpc/events.stream")) requests.add(r);
    });
    page.on("requestfinished", (r) => requests.delete(r));
    page.on("requestfailed", (r) => requests.delete(r));
    openRequests.set(page, requests);
    open = requests;
  }
  return open;
}

/** Waits until no request (the event stream aside) has been open for half a second, ten seconds at most. */
async function settled(page: Page) {
  const open = watchRequests(page);
  const deadline = Date.now() + 10_000;
  let quietSince = Date.now();
  while (Date.now() < deadline) {
    await page.waitForTimeout(100);
    if (open.size > 0) quietSince = Date.now();
    else if (Date.now() - quietSince >= 500) return;
  }
}

/** Signs in through the form, as a person would; resolves on the page the panel lands on. */
export async function signIn(page: Page, baseUrl: string, email: string, password: string) {
  watchRequests(page);
  await page.goto(`${baseUrl}/sign-in`);
  await page.getByLabel("Email").fill(email);
  await page.locator("input[autocomplete=current-password]").fill(password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await page.waitForURL((url) => !url.pathname.startsWith("/sign-in"));
}

/** The serious and critical accessibility violations axe-core finds on the page as it is now. */
export async function seriousViolations(page: Page): Promise<string[]> {
  if (!(await page.evaluate(() => "axe" in window))) await page.addScriptTag({ content: axeSource });
  const violations = await page.evaluate(async () => {
    const axe = (
      window as unknown as {
        axe: {
          run: (
            ctx: Document,
            opts: object,
          ) => Promise<{ violations: { id: string; impact: string; help: string; nodes: { target: string[] }[] }[] }>;
        };
      }
    ).axe;
    const result = await axe.run(document, { resultTypes: ["violations"] });
    return result.violations.map((v) => ({
      id: v.id,
      impact: v.impact,
      help: v.help,
      targets: v.nodes.slice(0, 3).map((n) => n.target.join(" ")),
    }));
  });
  return violations
    .filter((v) => v.impact === "serious" || v.impact === "critical")
    .map((v) => `${v.impact} ${v.id}: ${v.help} (${v.targets.join(", ")})`);
}

/**
 * Checks the screen as it is (no serious or critical axe violation, at desktop and phone width;
 * at phone width, no sideways scrolling of the page) and keeps a screenshot of each in
 * test/screenshots/ for people to look at.
 */
export async function checkScreen(page: Page, name: string) {
  mkdirSync(screenshotDir, { recursive: true });
  for (const [label, size] of [
    ["desktop", DESKTOP],
    ["375", PHONE],
  ] as const) {
    await page.setViewportSize(size);
    await settled(page);
    // The shell slides its navigation and margin when the width changes: photograph it settled
    // (transitions only: a spinner's animation never finishes).
    await page
      .evaluate(() => Promise.all(document.getAnimations().flatMap((a) => (a instanceof CSSTransition ? [a.finished] : []))))
      .catch(() => {});
    await page.screenshot({ path: join(screenshotDir, `${name}.${label}.png`), fullPage: true });
    expect(await seriousViolations(page), `${name} at ${label}`).toEqual([]);
    if (label === "375") {
      expect(await page.evaluate(() => document.documentElement.scrollWidth), `${name}: the page's width at 375 px`).toBeLessThanOrEqual(
        PHONE.width,
      );
    }
  }
  await page.setViewportSize(DESKTOP);
}
