import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { verifyWebhook } from "@canopy/sdk/webhooks";

export interface Received {
  at: number;
  type: string;
  data: unknown;
}

/**
 * A webhook receiver on 127.0.0.1 that answers 204 at once. With `secrets`, every message is
 * verified (Standard Webhooks signature) before it counts; a forged one would fail the run.
 */
export async function startReceiver(opts: { secrets?: string[]; onMessage?: (message: Received) => void } = {}) {
  let count = 0;
  let failures = 0;
  const waiters: { n: number; resolve: () => void }[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      res.writeHead(204).end();
      if (opts.secrets) {
        try {
          const message = verifyWebhook({ secret: opts.secrets, headers: req.headers, body: Buffer.concat(chunks) });
          opts.onMessage?.({ at: performance.now(), type: message.type, data: message.data });
        } catch {
          failures++;
          return;
        }
      }
      count++;
      for (const w of waiters.filter((w) => count >= w.n)) {
        waiters.splice(waiters.indexOf(w), 1);
        w.resolve();
      }
    });
  });
  server.keepAliveTimeout = 60_000;
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hooks`,
    get count() {
      return count;
    },
    get failures() {
      return failures;
    },
    /** Resolves when `n` messages in all have arrived (rejects after `timeoutMs`). */
    reached(n: number, timeoutMs = 300_000): Promise<void> {
      if (count >= n) return Promise.resolve();
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`only ${count} of ${n} webhooks arrived in ${timeoutMs} ms`)), timeoutMs);
        waiters.push({
          n,
          resolve: () => {
            clearTimeout(timer);
            resolve();
          },
        });
      });
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
