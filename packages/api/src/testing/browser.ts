import { existsSync } from "node:fs";
import { type Browser, chromium } from "playwright-core";

/** Debian's chromium (npm test installs it: scripts/ensure-browser.ts), driven by playwright-core: no browser download. */
export const CHROMIUM = "/usr/bin/chromium";

// Headless, and quiet: nothing in the background that would reach the network or skew a timing.
const FLAGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];

/**
 * A headless Chromium for tests and benchmarks that drive the API's pages. When it is missing this
 * throws at once, not in the promise: called first, it stops a test before anything else starts.
 */
export function launchChromium(): Promise<Browser> {
  if (!existsSync(CHROMIUM)) {
    throw new Error(
      `${CHROMIUM} is missing: run npm test or npm run bench from the repository root (they install it) or apt-get install -y chromium`,
    );
  }
  return chromium.launch({ executablePath: CHROMIUM, args: FLAGS });
}
