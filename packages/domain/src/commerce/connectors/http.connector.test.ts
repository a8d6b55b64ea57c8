import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createHttpConnector } from "./http.connector";
import { signIsvRequest } from "./isv-signature";

const SECRET = "isv-shared-secret-for-tests";

// A real ISV application on a free local port; each test sets how it answers.
let server: Server;
let url: string;
let answer: (req: IncomingMessage, body: string, res: ServerResponse) => void;
const received: { headers: IncomingMessage["headers"]; body: string }[] = [];

beforeAll(async () => {
  server = createServer((req, res) => {
    let body = "";
    req.on("data", (chunk) => (body += chunk));
    req.on("end", () => {
      received.push({ headers: req.headers, body });
      answer(req, body, res);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/canopy`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

const request = { idempotencyKey: "itm_1", subscriptionId: "sub_1", accountId: "acc_1", mpn: "MPN-1", quantity: 3 };
const reply =
  (status: number, body = "") =>
  (_req: IncomingMessage, _body: string, res: ServerResponse) =>
    res.writeHead(status).end(body);

describe("http connector", () => {
  it("sends a signed request the ISV can verify and returns its service reference", async () => {
    answer = reply(200, JSON.stringify({ serviceRef: "isv-42" }));
    const result = await createHttpConnector({ url, secret: SECRET }).provision(request);
    expect(result).toEqual({ outcome: "ok", serviceRef: "isv-42" });
    const call = received.at(-1)!;
    const timestamp = call.headers["canopy-timestamp"] as string;
    expect(call.headers["canopy-signature"]).toBe(signIsvRequest(SECRET, timestamp, call.body));
    expect(call.headers["idempotency-key"]).toBe("itm_1");
    expect(JSON.parse(call.body)).toMatchObject({ operation: "provision", ...request });
  });

  it("treats 5xx, 429 and 408 as transient", async () => {
    for (const status of [500, 503, 429, 408]) {
      answer = reply(status, "try later");
      const result = await createHttpConnector({ url, secret: SECRET }).suspend({ ...request, serviceRef: "isv-42" });
      expect(result).toMatchObject({ outcome: "transient" });
      expect(result.outcome !== "ok" && result.message).toContain(String(status));
    }
  });

  it("treats 4xx as permanent, with the ISV's reason in the message", async () => {
    answer = reply(422, "quantity above the plan's limit");
    const result = await createHttpConnector({ url, secret: SECRET }).changeQuantity({ ...request, serviceRef: "isv-42" });
    expect(result).toEqual({ outcome: "permanent", message: "ISV answered 422 to changeQuantity: quantity above the plan's limit" });
  });

  it("treats a timeout as transient", async () => {
    answer = () => {}; // never answers
    const result = await createHttpConnector({ url, secret: SECRET, timeoutMs: 200 }).provision(request);
    expect(result).toEqual({ outcome: "transient", message: "ISV provision call failed: no answer within 200 ms" });
  });

  it("treats a refused connection as transient", async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, "127.0.0.1", resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    const result = await createHttpConnector({ url: `http://127.0.0.1:${port}/`, secret: SECRET }).provision(request);
    expect(result).toMatchObject({ outcome: "transient" });
  });

  it("refuses plain HTTP to anything but a loopback host", () => {
    expect(() => createHttpConnector({ url: "http://isv.example.com/hook", secret: SECRET })).toThrow(/must be https/);
  });
});
