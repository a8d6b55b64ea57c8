// Benchmark 7: the user panel's first visit. (a) The JavaScript a first visit downloads, from
// the sign-in page through to the signed-in dashboard, gzip-compressed as a CDN or reverse proxy
// would serve it; (b) the time from navigating to `/` with a session cookie until the signed-in
// dashboard shows its heading, on a cold browser cache, in headless Chromium (Debian's).
import { gzipSync } from "node:zlib";
import { launchChromium } from "@canopy/api/testing/browser";
import { ensurePanelBuilt } from "@canopy/web/build";
import type { Browser, Page } from "playwright-core";
import { startApiProcess } from "../lib/api";
import { scratchDatabase } from "../lib/scratch-db";
import { median } from "../lib/stats";
import type { Benchmark, Row } from "../lib/types";

const ADMIN = { email: "admin@bench.test", password: "bench-admin-password" };
const VISITS_PER_RUN = 5;

/** Signs in through the form on a fresh browser profile; returns the gzip bytes of every script it fetched. */
async function firstVisit(
  browser: Browser,
  url: string,
): Promise<{ gzipBytes: number; rawBytes: number; scripts: number; cookie: string }> {
  const context = await browser.newContext();
  const page = await context.newPage();
  const bodies: Promise<Buffer>[] = [];
  page.on("response", (response) => {
    if (response.request().resourceType() === "script") bodies.push(response.body());
  });
  await page.goto(`${url}/`);
  await page.locator("input[autocomplete=username]").fill(ADMIN.email);
  await page.locator("input[autocomplete=current-password]").fill(ADMIN.password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await dashboard(page);
  const scripts = await Promise.all(bodies);
  const cookie = (await context.cookies()).find((c) => c.name === "canopy_session")?.value;
  await context.close();
  if (!cookie) throw new Error("signing in set no session cookie");
  return {
    gzipBytes: scripts.reduce((sum, body) => sum + gzipSync(body, { level: 9 }).length, 0),
    rawBytes: scripts.reduce((sum, body) => sum + body.length, 0),
    scripts: scripts.length,
    cookie,
  };
}

const dashboard = (page: Page) => page.getByRole("heading", { level: 1, name: /^Welcome/ }).waitFor({ timeout: 30_000 });

/** Milliseconds from navigating to `/`, signed in, on a cold cache, until the dashboard's heading shows. */
async function navigationToDashboard(browser: Browser, url: string, cookie: string): Promise<number> {
  const context = await browser.newContext();
  await context.addCookies([{ name: "canopy_session", value: cookie, url, httpOnly: true, sameSite: "Lax" }]);
  const page = await context.newPage();
  const started = performance.now();
  await page.goto(`${url}/`, { waitUntil: "commit" });
  await dashboard(page);
  const elapsed = performance.now() - started;
  await context.close();
  return elapsed;
}

export const panelLoad: Benchmark = {
  id: "8",
  title: "user panel: first-visit JavaScript and navigation to the signed-in dashboard",
  async run(opts) {
    await ensurePanelBuilt(opts.log);
    const { db, url: databaseUrl } = await scratchDatabase("canopy_bench_panel", { fresh: true });
    await db.destroy();
    // The browser first: should it be missing, no API process is left running behind the error.
    const browser = await launchChromium();
    const api = await startApiProcess({ databaseUrl, redisUrl: opts.redisUrl });
    try {
      const runs: { gzipKiB: number; rawKiB: number; scripts: number; navigationMs: number }[] = [];
      // Warm-up: the API's JIT and pools, the OS file cache of dist/.
      const warm = await firstVisit(browser, api.url);
      await navigationToDashboard(browser, api.url, warm.cookie);
      for (let i = 0; i < opts.repetitions; i++) {
        const visit = await firstVisit(browser, api.url);
        const times: number[] = [];
        for (let v = 0; v < VISITS_PER_RUN; v++) times.push(await navigationToDashboard(browser, api.url, visit.cookie));
        const run = { gzipKiB: visit.gzipBytes / 1024, rawKiB: visit.rawBytes / 1024, scripts: visit.scripts, navigationMs: median(times) };
        runs.push(run);
        opts.log(
          `  #8 run ${i + 1}: ${run.scripts} scripts, ${run.gzipKiB.toFixed(1)} KiB gzip (${run.rawKiB.toFixed(0)} KiB raw); to dashboard ${run.navigationMs.toFixed(0)} ms`,
        );
      }
      const gzip = median(runs.map((r) => r.gzipKiB));
      const navigation = median(runs.map((r) => r.navigationMs));
      const rows: Row[] = [
        {
          id: "8a",
          benchmark: "user panel: JavaScript a first visit downloads (sign-in → dashboard), gzip",
          unit: "KiB",
          value: gzip,
          baseline: null,
          ratio: null,
          goal: "< 250 KB",
          met: gzip * 1024 < 250_000,
          runs: runs.map((r) => ({ gzipKiB: r.gzipKiB, rawKiB: r.rawKiB, scripts: r.scripts })),
          note: `${runs[0]?.scripts ?? 0} scripts, ${median(runs.map((r) => r.rawKiB)).toFixed(0)} KiB before compression`,
        },
        {
          id: "8b",
          benchmark: "user panel: navigation to the signed-in dashboard (cold cache, headless Chromium)",
          unit: "ms",
          value: navigation,
          baseline: null,
          ratio: null,
          goal: "< 1 s",
          met: navigation < 1000,
          runs: runs.map((r) => ({ navigationMs: r.navigationMs })),
        },
      ];
      return rows;
    } finally {
      await browser.close();
      await api.stop();
    }
  },
};
