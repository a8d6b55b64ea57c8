// The SDK as an outside project gets it: `npm pack`, installed from the tarball into a project in the
// system's temporary directory (no workspace, no tsx), type-checked under NodeNext and Bundler
// resolution, and run with plain `node` as ESM and as CommonJS against a live API.
import { execFile } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { type Api, startApi } from "@canopy/api/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

const run = promisify(execFile);
const sdkDir = fileURLToPath(new URL("..", import.meta.url));
const tsc = createRequire(import.meta.url).resolve("typescript/bin/tsc");
const PUBLISHED = "@canopy-platform/sdk";

const correctEsm = `
import { createCanopyClient, errorCode, TRPCClientError } from "${PUBLISHED}";
import { verifyWebhook } from "${PUBLISHED}/webhooks";

const client = createCanopyClient({ url: process.env.CANOPY_URL!, apiKey: process.env.CANOPY_API_KEY! });
const account = await client.accounts.create.mutate({
  type: "customer",
  name: "Packed ESM GmbH",
  contact: { email: "it@esm.example" },
  address: { country: "DE" },
});
const createdAt: string = account.createdAt; // dates arrive as ISO strings
const page = await client.accounts.list.query({ type: "customer", limit: 200 });
const missing = await client.accounts.get.query({ id: "acc_missing" }).catch((error: unknown) => error);
console.log(JSON.stringify({
  id: account.id,
  createdAt,
  listed: page.items.some((a) => a.id === account.id),
  missing: errorCode(missing),
  isClientError: missing instanceof TRPCClientError,
  verify: typeof verifyWebhook,
}));
`;

const correctCjs = `
import { createCanopyClient } from "${PUBLISHED}";

async function main() {
  const client = createCanopyClient({ url: process.env.CANOPY_URL!, apiKey: process.env.CANOPY_API_KEY!, batch: false });
  const me = await client.auth.whoami.query();
  const role: "admin" | "service" = me.role;
  console.log(JSON.stringify({ kind: me.kind, role }));
}
main().catch((error) => {
  console.error(error);
  process.exit(1);
});
`;

// The same call with an input field renamed (contact.email → contact.mail) and an output field misspelt.
const wrong = correctEsm
  .replace('contact: { email: "it@esm.example" }', 'contact: { mail: "it@esm.example" }')
  .replace("account.createdAt", "account.createdOn");

const compilerOptions = { target: "ES2022", strict: true, skipLibCheck: false, types: ["node"], lib: ["ES2022", "DOM"] };
const tsconfigs = {
  "tsconfig.nodenext.json": {
    compilerOptions: { ...compilerOptions, module: "NodeNext", moduleResolution: "NodeNext", outDir: "out" },
    files: ["ok.mts", "ok.cts"],
  },
  "tsconfig.bundler.json": {
    compilerOptions: { ...compilerOptions, module: "ESNext", moduleResolution: "Bundler", noEmit: true },
    files: ["ok.mts", "ok.cts"],
  },
  "tsconfig.wrong-nodenext.json": {
    compilerOptions: { ...compilerOptions, module: "NodeNext", moduleResolution: "NodeNext", noEmit: true },
    files: ["wrong.mts"],
  },
  "tsconfig.wrong-bundler.json": {
    compilerOptions: { ...compilerOptions, module: "ESNext", moduleResolution: "Bundler", noEmit: true },
    files: ["wrong.mts"],
  },
};

async function typecheck(project: string, config: string) {
  try {
    await run(process.execPath, [tsc, "-p", config], { cwd: project });
    return { ok: true, output: "" };
  } catch (error) {
    const { stdout = "", stderr = "" } = error as { stdout?: string; stderr?: string };
    return { ok: false, output: stdout + stderr };
  }
}

let api: Api;
let project: string;
let tarball: string;
/** The NodeNext check of the correct files, which also emits the JavaScript that plain node runs. */
let nodeNext: { ok: boolean; output: string };

beforeAll(async () => {
  project = mkdtempSync(join(tmpdir(), "canopy-sdk-consumer-"));
  // prepack builds (contract, tsdown) and writes the published manifest.
  const packed = await run("npm", ["pack", "--pack-destination", project, "--json"], { cwd: sdkDir, maxBuffer: 16 << 20 });
  const [info] = JSON.parse(packed.stdout.slice(packed.stdout.search(/^\[$/m))) as {
    filename: string;
    size: number;
    unpackedSize: number;
  }[];
  tarball = join(project, info!.filename);
  console.log(`packed ${info!.filename}: ${info!.size} bytes (${info!.unpackedSize} unpacked)`);
  writeFileSync(join(project, "package.json"), JSON.stringify({ name: "sdk-consumer", private: true, type: "module" }));
  await run("npm", ["install", "--no-audit", "--no-fund", "--prefer-offline", tarball, "@types/node@20"], {
    cwd: project,
    maxBuffer: 16 << 20,
  });
  writeFileSync(join(project, "ok.mts"), correctEsm);
  writeFileSync(join(project, "ok.cts"), correctCjs);
  writeFileSync(join(project, "wrong.mts"), wrong);
  for (const [name, config] of Object.entries(tsconfigs)) writeFileSync(join(project, name), JSON.stringify(config));
  nodeNext = await typecheck(project, "tsconfig.nodenext.json");
  api = await startApi();
}, 900_000);

afterAll(async () => {
  await api?.close();
  if (project) rmSync(project, { recursive: true, force: true });
});

describe("the packed SDK, installed outside the repository", () => {
  const installed = () => join(project, "node_modules", ...PUBLISHED.split("/"));

  it("depends on no Canopy package and its declarations import none", () => {
    const manifest = JSON.parse(readFileSync(join(installed(), "package.json"), "utf8"));
    expect(manifest.name).toBe(PUBLISHED);
    expect(Object.keys({ ...manifest.dependencies, ...manifest.peerDependencies })).toEqual(
      expect.not.arrayContaining([expect.stringMatching(/^@canopy\//)]),
    );
    expect(manifest.devDependencies).toBeUndefined();
    const files = readdirSync(join(installed(), "dist"));
    expect(files.filter((f) => f.endsWith(".ts") || f.endsWith(".cts")).length).toBeGreaterThan(0);
    for (const file of files) expect(readFileSync(join(installed(), "dist", file), "utf8"), file).not.toMatch(/@canopy\//);
    expect(files.some((f) => f.endsWith(".map") || f.includes("src"))).toBe(false);
  });

  it("type-checks a correct call under NodeNext and Bundler resolution", async () => {
    expect(nodeNext.output).toBe("");
    expect(nodeNext.ok).toBe(true);
    const bundler = await typecheck(project, "tsconfig.bundler.json");
    expect(bundler.output).toBe("");
  }, 600_000);

  it("refuses a renamed input field and a misspelt output field under both resolutions", async () => {
    for (const config of ["tsconfig.wrong-nodenext.json", "tsconfig.wrong-bundler.json"]) {
      const result = await typecheck(project, config);
      expect(result.ok, config).toBe(false);
      expect(result.output).toMatch(
        /wrong\.mts\(\d+,\d+\): error TS2561: Object literal may only specify known properties, but 'mail' does not exist/,
      );
      expect(result.output).toMatch(/wrong\.mts\(\d+,\d+\): error TS2339: Property 'createdOn' does not exist/);
    }
  }, 600_000);

  it("runs with plain node against a live API, as ESM and as CommonJS", async () => {
    const env = { ...process.env, CANOPY_URL: api.url, CANOPY_API_KEY: api.providerKey };
    const esm = JSON.parse((await run(process.execPath, ["out/ok.mjs"], { cwd: project, env })).stdout);
    expect(esm).toMatchObject({ listed: true, missing: "NOT_FOUND", isClientError: true, verify: "function" });
    expect(esm.id).toMatch(/^acc_/);
    expect(new Date(esm.createdAt).toISOString()).toBe(esm.createdAt);
    expect((await api.provider.accounts.get.query({ id: esm.id })).name).toBe("Packed ESM GmbH");
    const cjs = JSON.parse((await run(process.execPath, ["out/ok.cjs"], { cwd: project, env })).stdout);
    expect(cjs).toEqual({ kind: "apiKey", role: "admin" });
  }, 60_000);
});
