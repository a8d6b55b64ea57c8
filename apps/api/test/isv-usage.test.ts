// An ISV application reports usage itself, signed with its product's http connector secret:
// POST /connectors/http/usage over real HTTP, recorded and rated like usage.report.
import { signIsvRequest } from "@canopy/domain/commerce";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildChain, completeSales, type Node } from "./billing-support";
import { type Api, startApi } from "./harness";

const SECRET = "acme-storage-shared-secret-0001";
const OTHER_SECRET = "another-isv-shared-secret-0002";
const OCT = Date.UTC(2026, 9, 1);
const DAY = 86_400_000;
const octDay = (d: number) => new Date(OCT + (d - 1) * DAY).toISOString();

let api: Api;
let chain: Node[];
let subscriptionId: string;
let demoSubscriptionId: string;

async function paygProduct(connector: "http" | "demo", secretRef?: string) {
  const product = await api.provider.products.create.mutate({
    mpn: `PAYG-${api.unique()}`.toUpperCase(),
    name: "Storage",
    isvName: "Acme",
    connector,
    ...(connector === "http" && { connectorConfig: { url: "https://isv.example/canopy", secretRef } }),
    unit: "GB",
    term: "monthly",
    billingModel: "payg",
    minQuantity: 1,
    maxQuantity: 1,
    msrp: { amount: 5, currency: "USD" },
  });
  await api.provider.products.publish.mutate({ id: product.id });
  const order = await chain[3]!.client.orders.place.mutate({ items: [{ mpn: product.mpn, quantity: 1 }] });
  await completeSales(api, order.id, new Date(OCT + 2 * DAY));
  return order.items[0]!.subscriptionId!;
}

beforeAll(async () => {
  api = await startApi({ httpSecrets: { "acme-storage": SECRET, other: OTHER_SECRET } });
  chain = await buildChain(api, 3);
  subscriptionId = await paygProduct("http", "acme-storage");
  demoSubscriptionId = await paygProduct("demo");
});
afterAll(() => api?.close());

const report = (key: string, quantity: number, sub = subscriptionId) =>
  JSON.stringify({ subscriptionId: sub, unit: "GB", quantity, periodStart: octDay(10), periodEnd: octDay(11), idempotencyKey: key });

function send(
  body: string,
  {
    secret = SECRET,
    timestamp = String(Math.floor(Date.now() / 1000)),
    signature,
  }: { secret?: string; timestamp?: string; signature?: string } = {},
) {
  return fetch(`${api.url}/connectors/http/usage`, {
    method: "POST",
    headers: {
      "content-type": "application/json",
      "canopy-timestamp": timestamp,
      "canopy-signature": signature ?? signIsvRequest(secret, timestamp, body),
    },
    body,
  });
}

describe("the http connector's usage callback", () => {
  it("records a signed report once, rates it at every tier, and answers a repeat with the first record", async () => {
    const body = report("isv-day-10", 40);
    const first = await send(body);
    expect(first.status).toBe(201);
    const record = (await first.json()) as { id: string; duplicate: boolean; quantity: number };
    expect(record).toMatchObject({ quantity: 40, duplicate: false });
    const again = await send(body);
    expect(again.status).toBe(200);
    expect(await again.json()).toMatchObject({ id: record.id, duplicate: true });

    const lines = await api.db
      .selectFrom("rated_lines")
      .select(["tier", "price_amount"])
      .where("subscription_id", "=", subscriptionId)
      .execute();
    expect(lines).toHaveLength(3); // one charge, three tiers
    const stored = await api.db.selectFrom("usage_records").select("reported_by").where("id", "=", record.id).executeTakeFirstOrThrow();
    expect(stored.reported_by).toBe("isv:acme-storage");
  });

  it("refuses a wrong signature, another ISV's secret, an old timestamp and a product without an http connector, recording nothing", async () => {
    const before = await api.db.selectFrom("usage_records").select("id").execute();
    const old = String(Math.floor(Date.now() / 1000) - 3600);
    const refusals = [
      await send(report("forged", 1), { signature: "v1=00" }),
      await send(report("other-isv", 1), { secret: OTHER_SECRET }),
      await send(report("replayed", 1), { timestamp: old }),
      await send(report("demo", 1, demoSubscriptionId)),
      await send(report("unknown", 1, "sub_missing")),
      await send("not json"),
    ];
    for (const response of refusals) {
      expect(response.status).toBe(401);
      expect(await response.json()).toMatchObject({
        code: "UNAUTHORIZED",
        message: "the usage report is not signed by the ISV of this subscription's product",
      });
    }
    expect(await api.db.selectFrom("usage_records").select("id").execute()).toHaveLength(before.length);
  });

  it("answers a signed but invalid report with the field and the rule, like the API", async () => {
    const body = JSON.stringify({ ...JSON.parse(report("bad", 1)), quantity: -3 });
    const response = await send(body);
    expect(response.status).toBe(400);
    const error = (await response.json()) as { code: string; message: string; fieldErrors: Record<string, string[]> };
    expect(error.code).toBe("BAD_REQUEST");
    expect(Object.keys(error.fieldErrors)).toEqual(["quantity"]);
    expect(error.message).toMatch(/^quantity: /);
  });
});
