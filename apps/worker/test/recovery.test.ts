import { type Connector, createConnectorRegistry, createDemoConnector } from "@canopy/domain/commerce";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { type Api, orderStatus, publishedProduct, startApi, startTestWorker, waitForOrder } from "./support";

let api: Api;
let worker: Awaited<ReturnType<typeof startTestWorker>>;
let broken = true;

beforeAll(async () => {
  api = await startApi();
  const demo = createDemoConnector({ db: api.db });
  // A connector with a bug: it throws instead of returning a failure, until it is fixed.
  const buggy: Connector = {
    ...demo,
    provision: async (request) => {
      if (broken) throw new Error("connector bug: cannot read properties of undefined");
      return demo.provision(request);
    },
  };
  worker = await startTestWorker(api, {
    connectors: createConnectorRegistry({ demo: buggy }),
    attempts: 2,
    recovery: { intervalMs: 300, afterMs: 0 },
  });
});
afterAll(async () => {
  await worker?.close();
  await api?.close();
});

describe("order job recovery", () => {
  it("an order whose job failed for good on an unexpected error is retried by the sweep once the cause is gone", async () => {
    const product = await publishedProduct(api);
    const customer = await api.account("customer");
    const order = await customer.client.orders.place.mutate({ items: [{ mpn: product.mpn, quantity: 1 }] });
    const queue = worker.queues["order-provisioning"];
    const jobId = (
      await api.db.selectFrom("events").select("id").where("type", "=", "order.created").orderBy("seq", "desc").executeTakeFirstOrThrow()
    ).id;
    // both attempts spent: the job is failed for good, only the sweep can bring it back
    await vi.waitFor(async () => expect(await queue.getJobState(jobId)).toBe("failed"), { timeout: 15_000, interval: 20 });
    expect((await queue.getJob(jobId))?.failedReason).toMatch(/connector bug/);
    expect((await orderStatus(api.db, order.id)).status).toBe("processing"); // not an ISV failure: no verdict

    broken = false;
    await waitForOrder(api.db, order.id, ["completed"]);
  });
});
