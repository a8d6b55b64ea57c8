// `canopy webhooks listen` streams the caller's events from events.stream and POSTs each one,
// signed with the secret it printed, to a local receiver that verifies them with standardwebhooks.
import { type Api, publishedProduct, type Receiver, startApi, startReceiver } from "@canopy/api/testing";
import { Webhook } from "standardwebhooks";
import { afterAll, beforeAll, expect, it, vi } from "vitest";
import { finished, isolatedEnv, startCli } from "./run-cli";

let api: Api;
let receiver: Receiver;

beforeAll(async () => {
  [api, receiver] = await Promise.all([startApi(), startReceiver()]);
});

afterAll(async () => {
  await receiver?.close();
  await api?.close();
});

it("forwards two events, signed so that the receiver verifies them, one line each", async () => {
  const customer = await api.account("customer");
  const { mpn } = await publishedProduct(api);
  const env = isolatedEnv({ CANOPY_URL: api.url, CANOPY_API_KEY: customer.key });
  const child = startCli(["webhooks", "listen", "--forward-to", receiver.url, "--events", "order.created"], env);
  const done = finished(child);
  let stderr = "";
  child.stderr!.on("data", (d: Buffer) => (stderr += d));
  await vi.waitFor(() => expect(stderr).toMatch(/^Ready: forwarding/m), { timeout: 30_000, interval: 50 });
  const secret = /Signing secret: (whsec_\S+)/.exec(stderr)![1]!;

  const first = await customer.client.orders.place.mutate({ items: [{ mpn, quantity: 1 }] });
  const second = await customer.client.orders.place.mutate({ items: [{ mpn, quantity: 2 }] });
  await vi.waitFor(() => expect(receiver.messages).toHaveLength(2), { timeout: 30_000, interval: 50 });

  const verified = receiver.messages.map(
    ({ headers, raw }) => new Webhook(secret).verify(raw, headers) as { type: string; data: { id: string } },
  );
  expect(verified.map((m) => [m.type, m.data.id])).toEqual([
    ["order.created", first.id],
    ["order.created", second.id],
  ]);
  // Another secret does not verify them: the signature is real.
  expect(() =>
    new Webhook(`whsec_${Buffer.from("x".repeat(24)).toString("base64")}`).verify(receiver.messages[0]!.raw, receiver.messages[0]!.headers),
  ).toThrow();

  child.kill("SIGINT");
  const { code, stdout } = await done;
  expect(code).toBe(0);
  const lines = stdout.trim().split("\n");
  expect(lines).toHaveLength(2);
  expect(lines[0]).toMatch(/ {2}order\.created {2}evt_\S+ {2}→ 204$/);
});
