// The built `canopy` command's billing and usage commands against a live API and worker: an
// order completed by the worker is rated onto this month's open statement, which the customer
// lists, exports as CSV and the provider reads in its margin report.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Api, publishedProduct, startApi, startTestWorker } from "../../../apps/worker/test/support";
import { isolatedEnv, runCli } from "./run-cli";

let api: Api;
let worker: Awaited<ReturnType<typeof startTestWorker>>;

beforeAll(async () => {
  api = await startApi();
  worker = await startTestWorker(api);
});

afterAll(async () => {
  await worker?.close();
  await api?.close();
});

const thisMonth = () => new Date().toISOString().slice(0, 7);

async function until<T>(read: () => Promise<T>, done: (value: T) => boolean, timeoutMs = 15_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (done(value) || Date.now() > deadline) return value;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

describe("canopy billing", () => {
  it("lists the statement an order was rated onto, exports its lines as CSV and shows the vendor's margin", async () => {
    const customer = await api.account("customer");
    const { mpn } = await publishedProduct(api);
    const order = await customer.client.orders.place.mutate({ items: [{ mpn, quantity: 4 }] });
    const env = isolatedEnv({ CANOPY_URL: api.url, CANOPY_API_KEY: customer.key });

    const listed = await until(
      () => runCli(["billing", "statements", "list", "--month", thisMonth(), "--json"], env),
      (run) => run.code !== 0 || (JSON.parse(run.stdout) as unknown[]).length > 0,
    );
    expect(listed.code, listed.stderr).toBe(0);
    const [statement] = JSON.parse(listed.stdout) as { id: string; buyerId: string; lineCount: number; status: string }[];
    expect(statement).toMatchObject({ buyerId: customer.account.id, status: "open" });
    expect(statement!.lineCount).toBeGreaterThanOrEqual(1);
    expect((await customer.client.orders.get.query({ id: order.id })).status).toBe("completed");

    const csv = await runCli(["billing", "lines", "--statement", statement!.id, "--csv"], env);
    expect(csv.code, csv.stderr).toBe(0);
    const [header, ...rows] = csv.stdout.trim().split("\n");
    expect(header).toMatch(/kind/);
    expect(rows).toHaveLength(statement!.lineCount);
    expect(rows[0]).toContain(mpn);

    const table = await runCli(["billing", "statements", "list"], env);
    expect(table.stdout).toContain(statement!.id);

    const provider = isolatedEnv({ CANOPY_URL: api.url, CANOPY_API_KEY: api.providerKey });
    const margin = await runCli(["billing", "margin", "--month", thisMonth(), "--json"], provider);
    expect(margin.code, margin.stderr).toBe(0);
    const report = JSON.parse(margin.stdout) as { rows: { buyerId: string; mpn: string; charged: number }[] };
    expect(report.rows).toContainEqual(expect.objectContaining({ buyerId: customer.account.id, mpn }));
  });

  it("refuses a malformed month as wrong usage (exit 2) and a licence product's usage as the API does (exit 1)", async () => {
    const customer = await api.account("customer");
    const env = isolatedEnv({ CANOPY_URL: api.url, CANOPY_API_KEY: api.providerKey });
    const badMonth = await runCli(["billing", "margin", "--month", "November"], env);
    expect(badMonth).toMatchObject({ code: 2, stdout: "" });
    expect(badMonth.stderr).toMatch(/expected a month such as 2026-11/);

    const { mpn } = await publishedProduct(api);
    const order = await customer.client.orders.place.mutate({ items: [{ mpn, quantity: 1 }] });
    const completed = await until(
      () => customer.client.orders.get.query({ id: order.id }),
      (o) => o.status === "completed",
    );
    const subscriptionId = completed.items[0]!.subscriptionId!;
    const refused = await runCli(
      ["usage", "report", subscriptionId, "seat", "3", "--from", "2026-11-01", "--to", "2026-11-02", "--idempotency-key", "k1"],
      env,
    );
    expect(refused).toMatchObject({ code: 1, stdout: "" });
    expect(refused.stderr).toMatch(/^error: [A-Z_]+: .*licen/i);
  });
  it("makes an ISV's key with --isv, which reports usage of that ISV's products only", async () => {
    const provider = isolatedEnv({ CANOPY_URL: api.url, CANOPY_API_KEY: api.providerKey });
    const made = await runCli(["api-keys", "create", "--name", "globex usage", "--isv", "Globex", "--json"], provider);
    expect(made.code, made.stderr).toBe(0);
    const { apiKey, secret } = JSON.parse(made.stdout) as { apiKey: { kind: string; isvName: string }; secret: string };
    expect(apiKey).toMatchObject({ kind: "isv", isvName: "Globex" });

    const customer = await api.account("customer");
    const { mpn } = await publishedProduct(api);
    const order = await customer.client.orders.place.mutate({ items: [{ mpn, quantity: 1 }] });
    const completed = await until(
      () => customer.client.orders.get.query({ id: order.id }),
      (o) => o.status === "completed",
    );
    const otherIsvs = await runCli(
      [
        "usage",
        "report",
        completed.items[0]!.subscriptionId!,
        "seat",
        "3",
        "--from",
        "2026-11-01",
        "--to",
        "2026-11-02",
        "--idempotency-key",
        "g1",
      ],
      isolatedEnv({ CANOPY_URL: api.url, CANOPY_API_KEY: secret }),
    );
    expect(otherIsvs).toMatchObject({ code: 1, stdout: "" });
    expect(otherIsvs.stderr).toMatch(/^error: NOT_FOUND: /);
  });
});
