import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { Webhook } from "standardwebhooks";

export interface ReceivedMessage {
  id: string;
  timestamp: string;
  signature: string;
  // biome-ignore lint/suspicious/noExplicitAny: a test receiver reads whatever the event carries
  body: { type: string; timestamp: string; data: any };
  /** The body as it came and its Standard Webhooks headers, for a test that verifies a message itself. */
  raw: string;
  headers: { "webhook-id": string; "webhook-timestamp": string; "webhook-signature": string };
  /** Which of the receiver's secrets verified it (Standard Webhooks' own library). */
  verifiedWith: string[];
}

export type Answer = { status: number; headers?: Record<string, string>; body?: string } | "hang";

/**
 * A reseller's receiver on 127.0.0.1: every request is verified with the `standardwebhooks`
 * library against each known secret, and answered as `answer` says (by default 204).
 * `secrets` may grow after the start (a secret shown only once the endpoint exists): each
 * request is checked against the list as it is then.
 */
export async function startReceiver(opts: { secrets?: string[]; answer?: (n: number, message: ReceivedMessage) => Answer } = {}) {
  const secrets = opts.secrets ?? [];
  const messages: ReceivedMessage[] = [];
  const unverified: string[] = [];
  const hanging = new Set<ServerResponse>();
  let requests = 0;

  const server = createServer(async (req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const raw = Buffer.concat(chunks).toString("utf8");
    const headers = {
      "webhook-id": String(req.headers["webhook-id"] ?? ""),
      "webhook-timestamp": String(req.headers["webhook-timestamp"] ?? ""),
      "webhook-signature": String(req.headers["webhook-signature"] ?? ""),
    };
    const verifiedWith = secrets.filter((secret) => {
      try {
        new Webhook(secret).verify(raw, headers);
        return true;
      } catch {
        return false;
      }
    });
    const n = ++requests;
    const message: ReceivedMessage = {
      id: headers["webhook-id"],
      timestamp: headers["webhook-timestamp"],
      signature: headers["webhook-signature"],
      body: JSON.parse(raw),
      raw,
      headers,
      verifiedWith,
    };
    if (verifiedWith.length === 0) unverified.push(raw);
    messages.push(message);
    const answer = opts.answer?.(n, message) ?? { status: 204 };
    if (answer === "hang") {
      hanging.add(res);
      return;
    }
    res.writeHead(answer.status, answer.headers).end(answer.body ?? "");
  });
  server.keepAliveTimeout = 60_000;
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hooks`;

  return {
    url,
    secrets,
    messages,
    unverified,
    get requests() {
      return requests;
    },
    /** Requests still waiting for an answer that never comes. */
    get hanging() {
      return hanging.size;
    },
    async close() {
      for (const res of hanging) res.destroy();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

export type Receiver = Awaited<ReturnType<typeof startReceiver>>;
