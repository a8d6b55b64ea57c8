import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createNodeFetch } from "./node-fetch";

let connections = 0;
const server = createServer((req, res) => {
  let body = "";
  req.on("data", (d: Buffer) => (body += d));
  req.on("end", () => {
    if (req.url === "/hang") return; // never answers
    res.writeHead(req.url === "/missing" ? 404 : 200, { "content-type": "application/json", "x-request-id": "r1" });
    res.end(
      JSON.stringify({ method: req.method, body, auth: req.headers.authorization ?? null, length: req.headers["content-length"] ?? null }),
    );
  });
});
server.on("connection", () => connections++);
let base: string;

beforeAll(async () => {
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => {
  server.closeAllConnections();
  server.close();
});

describe("the SDK's Node transport", () => {
  it("sends method, headers and body, answers like fetch, and keeps one connection for sequential calls", async () => {
    const leanFetch = createNodeFetch();
    connections = 0;
    for (let i = 0; i < 5; i++) {
      const res = await leanFetch(`${base}/trpc/x`, { method: "POST", headers: { authorization: "Bearer k" }, body: `{"n":${i}}` });
      expect(res.ok).toBe(true);
      expect(res.headers.get("x-request-id")).toBe("r1");
      expect(await res.json()).toEqual({ method: "POST", body: `{"n":${i}}`, auth: "Bearer k", length: String(`{"n":${i}}`.length) });
    }
    expect(connections).toBe(1);
    const missing = await leanFetch(`${base}/missing`);
    expect([missing.ok, missing.status]).toEqual([false, 404]);
  });

  it("rejects when the signal aborts, and refuses bodies it does not send", async () => {
    const leanFetch = createNodeFetch();
    const controller = new AbortController();
    const pending = leanFetch(`${base}/hang`, { signal: controller.signal });
    controller.abort(new Error("stop"));
    await expect(pending).rejects.toThrow("stop");
    await expect(leanFetch(`${base}/x`, { method: "POST", body: new Uint8Array([1]) })).rejects.toThrow(/string bodies/);
    await expect(leanFetch("http://127.0.0.1:1/x")).rejects.toThrow(/ECONNREFUSED/);
  });
});
