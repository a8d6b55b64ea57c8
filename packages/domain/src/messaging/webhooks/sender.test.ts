import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { WebhookSender } from "./sender";

// Only 127.0.0.1 is ever contacted here: the refusals happen before any connection.
let port: number;
let requests = 0;
const server = createServer((req, res) => {
  requests++;
  req.resume();
  // /hang never answers: the sender's timeout must end the attempt.
  if (req.url === "/binary") req.on("end", () => res.writeHead(500).end(Buffer.from([0x61, 0x00, 0xff, 0x62])));
  else if (req.url !== "/hang") req.on("end", () => res.writeHead(200).end("ok"));
});
beforeAll(async () => {
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  port = (server.address() as AddressInfo).port;
});
afterAll(() => {
  server.closeAllConnections();
  return new Promise<void>((resolve) => server.close(() => resolve()));
});

describe("the webhook sender's delivery-time address guard", () => {
  it("checks the addresses a host name resolves to, at connection time", async () => {
    const strict = new WebhookSender({ allowPrivateUrls: false, timeoutMs: 5_000 });
    const relaxed = new WebhookSender({ allowPrivateUrls: true, timeoutMs: 5_000 });
    try {
      const before = requests;
      const refused = await strict.post(`http://localhost:${port}/hooks`, {}, "{}");
      expect(refused).toMatchObject({ statusCode: null, error: expect.stringMatching(/refused: localhost resolves to .*loopback/) });
      const literal = await strict.post(`http://127.0.0.1:${port}/hooks`, {}, "{}");
      expect(literal).toMatchObject({ statusCode: null, error: expect.stringMatching(/refused: 127\.0\.0\.1 is a loopback address/) });
      const metadata = await relaxed.post("http://169.254.169.254/latest/meta-data", {}, "{}");
      expect(metadata).toMatchObject({ statusCode: null, error: expect.stringMatching(/never allowed/) });
      expect(requests).toBe(before);

      const allowed = await relaxed.post(`http://localhost:${port}/hooks`, {}, "{}");
      expect(allowed).toMatchObject({ statusCode: 200, responseBody: "ok", error: null });
      expect(requests).toBe(before + 1);
    } finally {
      await Promise.all([strict.close(), relaxed.close()]);
    }
  });

  it("gives up on a receiver that does not answer within the timeout", async () => {
    const sender = new WebhookSender({ allowPrivateUrls: true, timeoutMs: 300 });
    try {
      const result = await sender.post(`http://127.0.0.1:${port}/hang`, {}, "{}");
      expect(result).toMatchObject({ statusCode: null, error: "timed out after 300 ms" });
    } finally {
      await sender.close();
    }
  });

  it("keeps a response the database can store, whatever the receiver sends", async () => {
    const sender = new WebhookSender({ allowPrivateUrls: true, timeoutMs: 5_000 });
    try {
      const result = await sender.post(`http://127.0.0.1:${port}/binary`, {}, "{}");
      expect(result).toMatchObject({ statusCode: 500, responseBody: "a\uFFFD\uFFFDb" });
    } finally {
      await sender.close();
    }
  });
});
