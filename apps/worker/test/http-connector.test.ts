import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { createConnectorRegistry, createDemoConnector, signIsvRequest } from "@canopy/domain/commerce";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Api, publishedProduct, startApi, startTestWorker, waitForOrder } from "./support";

// A real ISV application on a local port: it checks Canopy's signature, keeps its own
// idempotency store, and refuses quantities above 10 with a 422.
const SECRET = "isv-signing-secret-0123456789";
const services = new Map<string, string>();
const requests: { operation: string; key: string; signatureOk: boolean }[] = [];
let isv: Server;
let isvUrl: string;

let api: Api;
let worker: Awaited<ReturnType<typeof startTestWorker>>;
const mpn = `HTTP-${Date.now().toString(36)}`.toUpperCase();

beforeAll(async () => {
  isv = createServer((req, res) => {
    let body = "";
    req.on("data", (c) => (body += c));
    req.on("end", () => {
      const timestamp = req.headers["canopy-timestamp"] as string;
      const signatureOk = req.headers["canopy-signature"] === signIsvRequest(SECRET, timestamp, body);
      const call = JSON.parse(body) as { operation: string; idempotencyKey: string; quantity: number };
      requests.push({ operation: call.operation, key: call.idempotencyKey, signatureOk });
      if (!signatureOk) return res.writeHead(401).end("bad signature");
      if (call.quantity > 10) return res.writeHead(422).end("at most 10 seats on this plan");
      const ref = services.get(call.idempotencyKey) ?? `isv-svc-${services.size + 1}`;
      services.set(call.idempotencyKey, ref);
      res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify({ serviceRef: ref }));
    });
  });
  await new Promise<void>((resolve) => isv.listen(0, "127.0.0.1", resolve));
  isvUrl = `http://127.0.0.1:${(isv.address() as AddressInfo).port}/canopy`;

  api = await startApi();
  const connectors = createConnectorRegistry({
    demo: createDemoConnector({ db: api.db }),
    httpSecrets: { [mpn]: SECRET },
    httpTimeoutMs: 2000,
  });
  worker = await startTestWorker(api, { connectors });
});
afterAll(async () => {
  await worker?.close();
  await api?.close();
  await new Promise<void>((resolve) => isv.close(() => resolve()));
});

describe("the http connector, through the worker", () => {
  it("provisions through a signed call to the ISV application and keeps its service reference", async () => {
    await publishedProduct(api, { mpn, connector: "http", connectorConfig: { url: isvUrl } });
    const customer = await api.account("customer");
    const order = await customer.client.orders.place.mutate({ items: [{ mpn, quantity: 4 }] });
    await waitForOrder(api.db, order.id, ["completed"]);
    const subscription = await customer.client.subscriptions.get.query({ id: order.items[0]!.subscriptionId! });
    expect(subscription).toMatchObject({ status: "active", serviceRef: services.get(order.items[0]!.id) });
    expect(requests.filter((r) => r.key === order.items[0]!.id)).toEqual([
      { operation: "provision", key: order.items[0]!.id, signatureOk: true },
    ]);
  });

  it("a 4xx from the ISV puts the order in error with the ISV's reason", async () => {
    const customer = await api.account("customer");
    const sub = await customer.client.orders.place.mutate({ items: [{ mpn, quantity: 2 }] });
    await waitForOrder(api.db, sub.id, ["completed"]);
    const change = await customer.client.subscriptions.changeQuantity.mutate({ id: sub.items[0]!.subscriptionId!, quantity: 12 });
    await waitForOrder(api.db, change.id, ["error"]);
    expect((await customer.client.orders.get.query({ id: change.id })).errorMessage).toBe(
      "ISV answered 422 to changeQuantity: at most 10 seats on this plan",
    );
    expect((await customer.client.subscriptions.get.query({ id: sub.items[0]!.subscriptionId! })).quantity).toBe(2);
  });
});
