// The built `canopy` command as a child process against a live API (and the real worker, which
// completes orders): login, place --wait, list --json, paging, and the exit codes.
import { statSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Api, publishedProduct, startApi, startTestWorker } from "../../../apps/worker/test/support";
import { isolatedEnv, runCli } from "./run-cli";

let api: Api;
let worker: Awaited<ReturnType<typeof startTestWorker>>;
let env: NodeJS.ProcessEnv;
let mpn: string;
let customer: Awaited<ReturnType<Api["account"]>>;

beforeAll(async () => {
  api = await startApi();
  worker = await startTestWorker(api);
  customer = await api.account("customer");
  mpn = (await publishedProduct(api)).mpn;
  env = isolatedEnv();
});

afterAll(async () => {
  await worker?.close();
  await api?.close();
});

describe("canopy", () => {
  it("logs in with e-mail and password, places an order and waits for it, lists it as JSON", async () => {
    const admin = await api.user(customer.account.id, "admin");
    const login = await runCli(
      ["login", "--url", api.url, "--email", admin.email, "--password-stdin", "--profile", "shop"],
      env,
      `${admin.password}\n`,
    );
    expect(login, login.stderr).toMatchObject({ code: 0, stdout: "" });
    const config = join(env.XDG_CONFIG_HOME!, "canopy", "config.json");
    expect(statSync(config).mode & 0o777).toBe(0o600);
    expect(statSync(join(env.XDG_CONFIG_HOME!, "canopy")).mode & 0o777).toBe(0o700);

    const placed = await runCli(["orders", "place", "--item", `${mpn}=3`, "--wait"], env);
    expect(placed.code, placed.stderr).toBe(0);
    const [orderId, status] = placed.stdout.trim().split("\t");
    expect(status).toBe("completed");
    expect((await customer.client.orders.get.query({ id: orderId! })).status).toBe("completed");

    const listed = await runCli(["orders", "list", "--json"], env);
    expect(listed.code, listed.stderr).toBe(0);
    const orders = JSON.parse(listed.stdout) as { id: string; status: string }[];
    expect(orders.map((o) => [o.id, o.status])).toContainEqual([orderId, "completed"]);

    const subs = await runCli(["subscriptions", "list"], env);
    expect(subs.stdout).toMatch(new RegExp(`${mpn}\\t3\\tactive`));
  });

  it("pages through everything with --all, with the environment's URL and key over any profile", async () => {
    const byEnv = { ...env, CANOPY_URL: api.url, CANOPY_API_KEY: api.providerKey };
    for (let i = 0; i < 2; i++) await api.account("customer");
    const all = await runCli(["accounts", "list", "--all", "--limit", "1", "--json"], byEnv);
    expect(all.code, all.stderr).toBe(0);
    const ids = (JSON.parse(all.stdout) as { id: string }[]).map((a) => a.id);
    expect(ids.length).toBeGreaterThanOrEqual(4);
    expect(new Set(ids).size).toBe(ids.length);
    const onePage = await runCli(["accounts", "list", "--limit", "1", "--json"], byEnv);
    expect(JSON.parse(onePage.stdout)).toHaveLength(1);
  });

  it("exits 2 on wrong usage and 1 when the API refuses, with the reason on stderr", async () => {
    const badItem = await runCli(["orders", "place", "--item", "no-quantity"], env);
    expect(badItem).toMatchObject({ code: 2, stdout: "" });
    expect(badItem.stderr).toMatch(/expected MPN=QUANTITY/);
    const unknownCommand = await runCli(["orders", "plaec"], env);
    expect(unknownCommand.code).toBe(2);

    const missing = await runCli(["orders", "get", "ord_missing"], env);
    expect(missing).toMatchObject({ code: 1, stdout: "" });
    expect(missing.stderr).toMatch(/^error: NOT_FOUND: /);
    const zero = await runCli(["orders", "place", "--item", `${mpn}=0`], env);
    expect(zero.code).toBe(1);
    expect(zero.stderr).toMatch(/BAD_REQUEST: .*items\.0\.quantity/);
    const noProfile = await runCli(["orders", "list", "--profile", "nobody"], env);
    expect(noProfile.code).toBe(1);
    expect(noProfile.stderr).toMatch(/no profile "nobody": run `canopy login`/);
  });
});
