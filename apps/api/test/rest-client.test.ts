import { execFile } from "node:child_process";
import { mkdtemp, rm, symlink, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { promisify } from "node:util";
import { publishedProduct } from "@canopy/api/testing";
import openapiTS, { astToString } from "openapi-typescript";
import { afterAll, beforeAll, expect, it } from "vitest";
import { type Api, startApi } from "./harness";

const run = promisify(execFile);
const ROOT = resolve(import.meta.dirname, "../../..");

let api: Api;
let dir: string;
beforeAll(async () => {
  api = await startApi();
  dir = await mkdtemp(join(tmpdir(), "canopy-openapi-client-"));
  // The generated project resolves openapi-fetch and TypeScript from the repository's node_modules.
  await symlink(join(ROOT, "node_modules"), join(dir, "node_modules"), "dir");
});
afterAll(async () => {
  await api?.close();
  if (dir) await rm(dir, { recursive: true, force: true });
});

/** The reseller flow, written against the generated types only; `quantityField` is what a typo would change. */
const flow = (quantityField: string) => `import createClient from "openapi-fetch";
import type { paths } from "./schema.js";

const [baseUrl, key, mpn] = process.argv.slice(2) as [string, string, string];
const api = createClient<paths>({ baseUrl, headers: { authorization: \`Bearer \${key}\` } });

const customer = await api.POST("/accounts", {
  body: { type: "customer", name: "Generated client GmbH", contact: { email: "gen@example.com" }, address: { country: "DE" } },
});
if (!customer.data) throw new Error(JSON.stringify(customer.error));
const placed = await api.POST("/orders", {
  params: { header: { "Idempotency-Key": "generated-1" } },
  body: { accountId: customer.data.id, items: [{ mpn, ${quantityField}: 2 }] },
});
if (!placed.data) throw new Error(JSON.stringify(placed.error));
const again = await api.POST("/orders", {
  params: { header: { "Idempotency-Key": "generated-1" } },
  body: { accountId: customer.data.id, items: [{ mpn, quantity: 2 }] },
});
const order = await api.GET("/orders/{id}", { params: { path: { id: placed.data.id } } });
const subscriptions = await api.GET("/subscriptions", { params: { query: { accountId: customer.data.id, limit: 10 } } });
const missing = await api.GET("/orders/{id}", { params: { path: { id: "ord_missing" } } });
const status: "submitted" | "processing" | "completed" | "error" | "cancelled" | undefined = order.data?.status;
console.log(JSON.stringify({
  orderId: placed.data.id,
  sameOrder: again.data?.id === placed.data.id,
  status,
  total: order.data?.total,
  subscriptions: subscriptions.data?.items.map((s) => ({ mpn: s.mpn, quantity: s.quantity })),
  missing: missing.error && { code: missing.error.code, message: missing.error.message },
}));
`;

const tsconfig = {
  compilerOptions: {
    target: "ES2022",
    module: "NodeNext",
    moduleResolution: "NodeNext",
    strict: true,
    noEmit: true,
    skipLibCheck: true,
    types: ["node"],
  },
  files: ["flow.ts"],
};

async function typecheck(): Promise<{ ok: boolean; output: string }> {
  try {
    await run(process.execPath, [join(ROOT, "node_modules/typescript/bin/tsc"), "-p", dir], { cwd: dir });
    return { ok: true, output: "" };
  } catch (error) {
    return { ok: false, output: String((error as { stdout?: string }).stdout) };
  }
}

it("a client generated from /api/v1/openapi.json by openapi-typescript and openapi-fetch runs the reseller flow, and a wrong field fails its type check", async () => {
  const schema = astToString(await openapiTS(new URL(`${api.url}/api/v1/openapi.json`)));
  await writeFile(join(dir, "schema.d.ts"), schema);
  await writeFile(join(dir, "package.json"), JSON.stringify({ type: "module" }));
  await writeFile(join(dir, "tsconfig.json"), JSON.stringify(tsconfig));

  await writeFile(join(dir, "flow.ts"), flow("qty"));
  const wrong = await typecheck();
  expect(wrong.ok).toBe(false);
  expect(wrong.output).toMatch(/flow\.ts\(\d+,\d+\): error TS2353: Object literal may only specify known properties, and 'qty'/);

  await writeFile(join(dir, "flow.ts"), flow("quantity"));
  const right = await typecheck();
  expect(right).toEqual({ ok: true, output: "" });

  const { account, key } = await api.account("reseller");
  const { mpn } = await publishedProduct(api);
  const { stdout } = await run(process.execPath, ["--import", "tsx", join(dir, "flow.ts"), `${api.url}/api/v1`, key, mpn], { cwd: ROOT });
  const result = JSON.parse(stdout);
  expect(result).toMatchObject({
    sameOrder: true,
    status: "submitted",
    total: { amount: 2000, currency: "USD" },
    subscriptions: [{ mpn, quantity: 2 }],
    missing: { code: "NOT_FOUND", message: "order not found" },
  });
  expect(account.id).toBeTruthy();
}, 240_000); // two tsc runs on a shared machine
