import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { webhookSettings } from "@canopy/domain/messaging";
import { insertEvents, systemOrigin } from "@canopy/domain/shared";
import { afterAll, describe, expect, it, vi } from "vitest";
import { spawnWorker, uniquePrefix, useApiWithChildWorkers, workerEnv } from "./support";

const context = useApiWithChildWorkers({ webhooks: webhookSettings({ allowPrivateUrls: true }) });
const { children } = context;

/** A receiver that answers 204 after `delayMs`, counting each webhook-id it is sent. */
async function slowReceiver(delayMs: number) {
  const seen = new Map<string, number>();
  const server = createServer((req, res) => {
    req.resume();
    req.on("end", () => {
      const id = String(req.headers["webhook-id"]);
      seen.set(id, (seen.get(id) ?? 0) + 1);
      setTimeout(() => res.writeHead(204).end(), delayMs);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hooks`,
    seen,
    close: () => {
      server.closeAllConnections();
      return new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

const receiverClosers: (() => Promise<void>)[] = [];
afterAll(async () => {
  await Promise.all(receiverClosers.map((close) => close()));
});

describe("a worker killed with SIGKILL while it makes first attempts in process", () => {
  it("loses no webhook: the next worker sends what was waiting or in flight", { timeout: 120_000 }, async () => {
    const { api } = context;
    const receiver = await slowReceiver(15);
    receiverClosers.push(receiver.close);
    const { endpoint } = await api.provider.webhooks.endpoints.create.mutate({ url: receiver.url, eventTypes: ["account.updated"] });
    const provider = await api.db.selectFrom("accounts").select(["id", "path"]).where("type", "=", "provider").executeTakeFirstOrThrow();

    // Two requests at a time to one endpoint, 15 ms each: 400 deliveries take seconds, so the
    // kill lands with some sent, some in flight (claimed, or claimed ahead) and most waiting
    // in the lane, none of which has a BullMQ job.
    const env = workerEnv(api, uniquePrefix(), {
      WEBHOOK_ALLOW_PRIVATE_URLS: "1",
      WEBHOOK_TIMEOUT_MS: "1000",
      WEBHOOK_RETRY_SCALE: "0.001",
      WEBHOOK_ENDPOINT_CONCURRENCY: "2",
      WEBHOOK_SWEEP_INTERVAL_MS: "200",
      WORKER_IN_PROCESS_GRACE_MS: "2000",
    });
    const first = spawnWorker(env);
    children.push(first);
    await first.ready;

    const total = 400;
    await insertEvents(
      api.db,
      Array.from({ length: total }, (_, i) => ({
        type: "account.updated" as const,
        origin: systemOrigin("test"),
        account: { id: provider.id, path: provider.path },
        data: { id: provider.id, name: `Provider ${i}` },
      })),
    );
    await vi.waitFor(() => expect(receiver.seen.size).toBeGreaterThanOrEqual(60), { timeout: 30_000, interval: 5 });
    first.process.kill("SIGKILL");
    await first.exited;
    const succeeded = async () =>
      Number(
        (
          await api.db
            .selectFrom("webhook_deliveries")
            .select((eb) => eb.fn.countAll<number>().as("n"))
            .where("endpoint_id", "=", endpoint.id)
            .where("status", "=", "succeeded")
            .executeTakeFirstOrThrow()
        ).n,
      );
    const atKill = await succeeded();
    expect(atKill).toBeLessThan(total); // the premise: the kill interrupted the lane

    const second = spawnWorker(env);
    children.push(second);
    await second.ready;
    await vi.waitFor(async () => expect(await succeeded()).toBe(total), { timeout: 90_000, interval: 100 });

    // Every message arrived; at least once, so an attempt cut off by the kill may come twice.
    expect(receiver.seen.size).toBe(total);
    const duplicates = [...receiver.seen.values()].filter((n) => n > 1).length;
    expect(duplicates).toBeLessThanOrEqual(8);
    const failed = await api.db
      .selectFrom("webhook_deliveries")
      .select("id")
      .where("endpoint_id", "=", endpoint.id)
      .where("status", "!=", "succeeded")
      .execute();
    expect(failed).toEqual([]);
    console.info(`webhook crash test: ${atKill} of ${total} recorded as sent at the kill; ${duplicates} sent twice`);
    second.process.kill("SIGTERM");
    expect(await second.exited).toBe(0);
  });
});
