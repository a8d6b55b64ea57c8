import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  type Api,
  type ChildWorker,
  orderStatus,
  publishedProduct,
  spawnWorker,
  startApi,
  uniquePrefix,
  waitForOrder,
  workerEnv,
} from "./support";

let api: Api;
let child: ChildWorker | undefined;

beforeAll(async () => {
  api = await startApi();
});
afterAll(async () => {
  if (child && child.process.exitCode === null) child.process.kill("SIGKILL");
  await child?.exited;
  await api?.close();
});

describe("graceful shutdown", () => {
  it("SIGTERM lets the active job finish before the process exits", { timeout: 60_000 }, async () => {
    // The ISV takes a while, so the signal arrives in the middle of the connector call.
    child = spawnWorker(workerEnv(api, uniquePrefix(), { DEMO_LATENCY_MS: "1500" }));
    await child.ready;
    const product = await publishedProduct(api);
    const customer = await api.account("customer");
    const order = await customer.client.orders.place.mutate({ items: [{ mpn: product.mpn, quantity: 1 }] });
    await waitForOrder(api.db, order.id, ["processing"]);

    child.process.kill("SIGTERM");
    expect(await child.exited).toBe(0);
    expect((await orderStatus(api.db, order.id)).status).toBe("completed");
  });
});
