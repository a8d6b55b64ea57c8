// Run by `npm test` and `npm run bench` first (pretest, prebench): the browser tests and the
// panel benchmark drive Debian's Chromium at /usr/bin/chromium through playwright-core (no
// browser download). When it is missing and we are root on Debian, install it from apt; otherwise
// stop with the command that does it.
import { execFileSync } from "node:child_process";
import { existsSync } from "node:fs";

const CHROMIUM = "/usr/bin/chromium";
const INSTALL = "apt-get update && apt-get install -y chromium";

function run(command: string, args: string[]): void {
  execFileSync(command, args, { stdio: "inherit", env: { ...process.env, DEBIAN_FRONTEND: "noninteractive" } });
}

/** Whether dpkg lists the package as installed (its files may still have been removed by hand). */
function dpkgInstalled(pkg: string): boolean {
  try {
    const status = execFileSync("dpkg", ["-s", pkg], { encoding: "utf8", stdio: ["ignore", "pipe", "ignore"] });
    return status.includes("Status: install ok installed");
  } catch {
    return false;
  }
}

function ensureChromium(): void {
  if (existsSync(CHROMIUM)) return;
  if (!existsSync("/usr/bin/apt-get")) {
    throw new Error(
      `${CHROMIUM} is missing and this is not a Debian system: install Chromium there (the browser test drives ${CHROMIUM}).`,
    );
  }
  if (process.getuid?.() !== 0) {
    throw new Error(
      `${CHROMIUM} is missing: the browser test needs Debian's Chromium. Run:\n  sudo sh -c '${INSTALL}'\nthen npm test again.`,
    );
  }
  // dpkg may list the package although its binary is gone: only --reinstall puts the files back.
  const reinstall = dpkgInstalled("chromium");
  console.log(`${CHROMIUM} is missing: ${reinstall ? "reinstalling" : "installing"} Debian's chromium package for the browser test`);
  // Another apt run (another shell, unattended upgrades) may hold the dpkg lock for a while: wait for it.
  run("apt-get", ["update", "-qq", "-o", "DPkg::Lock::Timeout=600"]);
  run("apt-get", ["install", "-y", "-qq", "-o", "DPkg::Lock::Timeout=600", ...(reinstall ? ["--reinstall"] : []), "chromium"]);
  if (!existsSync(CHROMIUM)) throw new Error(`apt-get installed chromium but ${CHROMIUM} is still missing`);
  console.log(`${CHROMIUM} is installed`);
}

try {
  ensureChromium();
} catch (error) {
  console.error((error as Error).message);
  process.exit(1);
}
