// The CLI as a user installs it: `npm pack`, the tarball installed into a project in the system's
// temporary directory, and `npx canopy` run from there (no workspace, no tsx).
import { execFile } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { type Api, startApi } from "@canopy/api/testing";
import { afterAll, beforeAll, expect, it } from "vitest";
import { isolatedEnv } from "./run-cli";

const run = promisify(execFile);
const cliDir = fileURLToPath(new URL("..", import.meta.url));
let project: string;
let api: Api;

beforeAll(async () => {
  project = mkdtempSync(join(tmpdir(), "canopy-cli-consumer-"));
  const packed = await run("npm", ["pack", "--pack-destination", project, "--json"], { cwd: cliDir, maxBuffer: 16 << 20 });
  const [info] = JSON.parse(packed.stdout.slice(packed.stdout.search(/^\[$/m))) as {
    filename: string;
    size: number;
    unpackedSize: number;
  }[];
  console.log(`packed ${info!.filename}: ${info!.size} bytes (${info!.unpackedSize} unpacked)`);
  writeFileSync(join(project, "package.json"), JSON.stringify({ name: "cli-consumer", private: true }));
  await run("npm", ["install", "--no-audit", "--no-fund", "--prefer-offline", join(project, info!.filename)], {
    cwd: project,
    maxBuffer: 16 << 20,
  });
  api = await startApi();
}, 600_000);

afterAll(async () => {
  await api?.close();
  if (project) rmSync(project, { recursive: true, force: true });
});

it("installs outside the repository with no Canopy dependency; npx canopy --help and a call work", async () => {
  const manifest = JSON.parse(readFileSync(join(project, "node_modules", "@canopy-platform", "cli", "package.json"), "utf8"));
  expect(Object.keys(manifest.dependencies).filter((d) => d.startsWith("@canopy/"))).toEqual([]);
  const env = isolatedEnv();
  const help = await run("npx", ["--no-install", "canopy", "--help"], { cwd: project, env });
  expect(help.stdout).toMatch(/Usage: canopy/);
  expect(help.stdout).toMatch(/webhooks/);
  const whoami = await run("npx", ["--no-install", "canopy", "accounts", "list", "--json"], {
    cwd: project,
    env: { ...env, CANOPY_URL: api.url, CANOPY_API_KEY: api.providerKey },
  });
  expect((JSON.parse(whoami.stdout) as { type: string }[]).map((a) => a.type)).toContain("provider");
}, 120_000);
