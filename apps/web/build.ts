// The built panel (dist/) is what the API serves. `ensurePanelBuilt` rebuilds it when it is
// missing or older than its sources: `npm start`, the browser tests and the benchmark call it.
import { spawn } from "node:child_process";
import { existsSync, readdirSync, statSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

export const webRoot = dirname(fileURLToPath(import.meta.url));
export const distDir = join(webRoot, "dist");

function newestChange(path: string): number {
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.mtimeMs;
  let newest = stat.mtimeMs;
  for (const entry of readdirSync(path)) newest = Math.max(newest, newestChange(join(path, entry)));
  return newest;
}

/** Whether dist/ is missing or older than anything it is built from. */
export function panelIsStale(): boolean {
  const built = join(distDir, "index.html");
  if (!existsSync(built)) return true;
  const sources = ["src", "index.html", "vite.config.ts", "package.json"].map((p) => join(webRoot, p));
  return Math.max(...sources.filter(existsSync).map(newestChange)) > statSync(built).mtimeMs;
}

/** Runs `vite build` when the panel is stale; resolves once dist/ is current. */
export async function ensurePanelBuilt(log: (line: string) => void = () => {}): Promise<"built" | "current"> {
  if (!panelIsStale()) return "current";
  log("building the user panel (apps/web)…");
  await new Promise<void>((resolve, reject) => {
    const vite = join(dirname(createRequire(import.meta.url).resolve("vite/package.json")), "bin/vite.js");
    // NODE_ENV production whoever calls: under vitest it is "test", and Vite would then bundle
    // React's development build (≈290 instead of ≈220 KiB gzip) into the dist/ that `npm start` serves.
    const child = spawn(process.execPath, [vite, "build", "--logLevel", "warn"], {
      cwd: webRoot,
      env: { ...process.env, NODE_ENV: "production" },
      stdio: ["ignore", "inherit", "inherit"],
    });
    child.on("error", reject);
    child.on("exit", (code) => (code === 0 ? resolve() : reject(new Error(`vite build exited with code ${code}`))));
  });
  return "built";
}
